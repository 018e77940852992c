/// Why the model stopped, normalised across providers (wire reference §1.4).
///
/// A struct rather than an enum so new reasons can be added without breaking a caller's `switch`.
public struct FinishReason: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    /// The model finished its answer.
    public static let stop = FinishReason(rawValue: "stop")
    /// A stop sequence was produced (only providers that report it distinctly).
    public static let stopSequence = FinishReason(rawValue: "stop_sequence")
    /// The output token limit or context window was reached.
    public static let length = FinishReason(rawValue: "length")
    /// The model wants tool calls made.
    public static let toolCalls = FinishReason(rawValue: "tool_calls")
    /// The output was filtered or refused.
    public static let contentFilter = FinishReason(rawValue: "content_filter")
    /// The provider paused a long turn; send the conversation again to continue.
    public static let paused = FinishReason(rawValue: "paused")
    /// Anything else the provider reported.
    public static let other = FinishReason(rawValue: "other")
}
