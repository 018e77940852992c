/// What one request takes from its resource's buckets: one request, one concurrency slot and a
/// reservation of tokens (its input estimate plus its output cap).
public struct RateLimitDemand: Hashable, Sendable {
    /// Tokens reserved before sending; corrected to the real usage afterwards.
    public var tokens: Int

    public init(tokens: Int = 0) {
        self.tokens = max(0, tokens)
    }
}
