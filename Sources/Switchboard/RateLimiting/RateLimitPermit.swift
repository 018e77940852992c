/// The right to send one request to a limited resource: a request and a concurrency slot taken, and
/// tokens reserved. Give it back with ``RateLimiter/release(_:usedTokens:)`` when the request ends.
public struct RateLimitPermit: Hashable, Sendable {
    public let key: RateLimitKey
    public let demand: RateLimitDemand
    /// How long the request waited in the queue.
    public let waited: Duration

    init(key: RateLimitKey, demand: RateLimitDemand, waited: Duration = .zero) {
        self.key = key
        self.demand = demand
        self.waited = waited
    }
}
