/// Tokens one response used, normalised so no token is counted twice (wire reference §1.3).
///
/// Input is split into three disjoint parts billed at different prices: ``inputTokens`` (fresh
/// input), ``cacheReadTokens`` and ``cacheWriteTokens``. OpenAI and Gemini report a prompt total
/// that includes cached tokens; their adapters subtract. Anthropic reports the parts separately.
/// ``outputTokens`` includes reasoning; ``reasoningTokens`` says how many of them were reasoning.
public struct Usage: Hashable, Sendable, Codable {
    /// Input tokens neither read from nor written to a prompt cache.
    public var inputTokens: Int
    /// Input tokens read from the provider's prompt cache.
    public var cacheReadTokens: Int
    /// Input tokens written to the provider's prompt cache.
    public var cacheWriteTokens: Int
    /// Of ``cacheWriteTokens``, those written with a one-hour lifetime (Anthropic).
    public var cacheWriteLongLivedTokens: Int
    /// All generated tokens, reasoning included.
    public var outputTokens: Int
    /// Of ``outputTokens``, those spent on reasoning.
    public var reasoningTokens: Int

    public init(
        inputTokens: Int = 0,
        cacheReadTokens: Int = 0,
        cacheWriteTokens: Int = 0,
        cacheWriteLongLivedTokens: Int = 0,
        outputTokens: Int = 0,
        reasoningTokens: Int = 0
    ) {
        self.inputTokens = inputTokens
        self.cacheReadTokens = cacheReadTokens
        self.cacheWriteTokens = cacheWriteTokens
        self.cacheWriteLongLivedTokens = cacheWriteLongLivedTokens
        self.outputTokens = outputTokens
        self.reasoningTokens = reasoningTokens
    }

    public static let zero = Usage()

    /// All input tokens, cached or not.
    public var totalInputTokens: Int { inputTokens + cacheReadTokens + cacheWriteTokens }
    /// All tokens in and out.
    public var totalTokens: Int { totalInputTokens + outputTokens }

    public static func + (lhs: Usage, rhs: Usage) -> Usage {
        Usage(
            inputTokens: lhs.inputTokens + rhs.inputTokens,
            cacheReadTokens: lhs.cacheReadTokens + rhs.cacheReadTokens,
            cacheWriteTokens: lhs.cacheWriteTokens + rhs.cacheWriteTokens,
            cacheWriteLongLivedTokens: lhs.cacheWriteLongLivedTokens + rhs.cacheWriteLongLivedTokens,
            outputTokens: lhs.outputTokens + rhs.outputTokens,
            reasoningTokens: lhs.reasoningTokens + rhs.reasoningTokens
        )
    }

    public static func += (lhs: inout Usage, rhs: Usage) { lhs = lhs + rhs }
}
