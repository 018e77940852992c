/// Token counts a simulated reply reports, split the same way as `Switchboard.Usage`.
///
/// The three input parts are disjoint: ``inputTokens`` is fresh input only. The simulator renders
/// them per provider: OpenAI's `prompt_tokens` is their sum (cached included) with
/// `prompt_tokens_details.cached_tokens`; Anthropic's `input_tokens` is ``inputTokens`` alone, next
/// to `cache_read_input_tokens` and `cache_creation_input_tokens`.
public struct SimulatedUsage: Sendable, Hashable {
    /// Input tokens neither read from nor written to a cache; `nil` estimates them from the
    /// request's word count.
    public var inputTokens: Int?
    /// Generated tokens, reasoning included; `nil` estimates them from the reply's word count.
    public var outputTokens: Int?
    /// Input tokens read from the prompt cache.
    public var cachedInputTokens: Int
    /// Input tokens written to the prompt cache.
    public var cacheWriteTokens: Int
    /// Of ``outputTokens``, those spent on reasoning (OpenAI `reasoning_tokens`).
    public var reasoningTokens: Int

    /// Creates usage; leave a count `nil` to have it estimated from word counts.
    public init(
        inputTokens: Int? = nil,
        outputTokens: Int? = nil,
        cachedInputTokens: Int = 0,
        cacheWriteTokens: Int = 0,
        reasoningTokens: Int = 0
    ) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cachedInputTokens = cachedInputTokens
        self.cacheWriteTokens = cacheWriteTokens
        self.reasoningTokens = reasoningTokens
    }

    /// Input and output estimated from word counts, no cache or reasoning tokens.
    public static let estimated = SimulatedUsage()
}
