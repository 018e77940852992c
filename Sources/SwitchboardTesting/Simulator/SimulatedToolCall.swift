/// A tool call a simulated reply makes.
public struct SimulatedToolCall: Sendable, Hashable {
    /// The call's id; `nil` generates one in the provider's style (`call_…` or `toolu_…`).
    public var id: String?
    /// The tool's name.
    public var name: String
    /// The arguments as JSON text, streamed in ``SimulatedReply/chunkSize`` pieces. It is sent as is,
    /// so it may be invalid JSON on purpose (Anthropic's non-streaming `input` then becomes `{}`).
    public var arguments: String

    /// Creates a tool call.
    public init(id: String? = nil, name: String, arguments: String) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }
}
