import Foundation

/// What one provider used in the current period.
public struct UsageStats: Hashable, Sendable {
    /// What a provider's rate-limit headers said was left in its window.
    public struct Remaining: Hashable, Sendable {
        public var requests: Int?
        public var tokens: Int?

        public init(requests: Int? = nil, tokens: Int? = nil) {
            self.requests = requests
            self.tokens = tokens
        }
    }

    public var period: UsagePeriod
    /// When the period began.
    public var periodStart: Date
    public var totalRequests: Int
    public var failedRequests: Int
    /// Tokens by kind.
    public var usage: Usage
    /// All tokens in and out.
    public var totalTokens: Int { usage.totalTokens }
    /// The cost of the requests whose price is known.
    public var totalCost: Money
    /// Requests whose model has no price: their cost is not in ``totalCost``.
    public var unpricedRequests: Int
    /// The provider's latest rate-limit headers.
    public var rateLimit: RateLimitSnapshot?
    /// What those headers said was left.
    public var remaining: Remaining? {
        guard let rateLimit else { return nil }
        let remaining = Remaining(requests: rateLimit.requests?.remaining, tokens: rateLimit.tokens?.remaining)
        return remaining.requests == nil && remaining.tokens == nil ? nil : remaining
    }

    public init(
        period: UsagePeriod, periodStart: Date, totalRequests: Int = 0, failedRequests: Int = 0, usage: Usage = .zero,
        totalCost: Money = .zero, unpricedRequests: Int = 0, rateLimit: RateLimitSnapshot? = nil
    ) {
        self.period = period
        self.periodStart = periodStart
        self.totalRequests = totalRequests
        self.failedRequests = failedRequests
        self.usage = usage
        self.totalCost = totalCost
        self.unpricedRequests = unpricedRequests
        self.rateLimit = rateLimit
    }
}
