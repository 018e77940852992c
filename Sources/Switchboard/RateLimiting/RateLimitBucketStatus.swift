/// The state of one limited resource, for `switchboard status`, dashboards and tests.
public struct RateLimitBucketStatus: Hashable, Sendable {
    /// What the provider's last rate-limit headers said about one window.
    public struct LearnedWindow: Hashable, Sendable {
        public var limit: Int?
        /// What may still be used before the window resets, less what was granted since.
        public var remaining: Int
        /// Time until the provider's window resets.
        public var resetsIn: Duration
    }

    public var key: RateLimitKey
    /// The configured limits.
    public var limits: RateLimits
    /// Requests that could start now under the configured RPM bucket; `nil` without one.
    public var availableRequests: Int?
    /// Tokens that could be reserved now under the configured TPM bucket; `nil` without one.
    public var availableTokens: Int?
    /// The provider's requests window, from its headers.
    public var learnedRequests: LearnedWindow?
    /// The provider's (most restrictive) tokens window, from its headers.
    public var learnedTokens: LearnedWindow?
    /// Requests holding a concurrency slot now.
    public var inFlight: Int
    /// How long the resource stays paused after a 429; `nil` when it is not paused.
    public var pausedFor: Duration?
    /// Requests waiting in this process's queue for the resource.
    public var waiting: Int

    public init(
        key: RateLimitKey, limits: RateLimits, availableRequests: Int? = nil, availableTokens: Int? = nil,
        learnedRequests: LearnedWindow? = nil, learnedTokens: LearnedWindow? = nil, inFlight: Int = 0,
        pausedFor: Duration? = nil, waiting: Int = 0
    ) {
        self.key = key
        self.limits = limits
        self.availableRequests = availableRequests
        self.availableTokens = availableTokens
        self.learnedRequests = learnedRequests
        self.learnedTokens = learnedTokens
        self.inFlight = inFlight
        self.pausedFor = pausedFor
        self.waiting = waiting
    }

    /// The requests that could start now: the smaller of the configured bucket and the provider's window.
    public var remainingRequests: Int? {
        [availableRequests, learnedRequests?.remaining].compactMap { $0 }.min()
    }

    /// The tokens that could be reserved now: the smaller of the configured bucket and the provider's window.
    public var remainingTokens: Int? {
        [availableTokens, learnedTokens?.remaining].compactMap { $0 }.min()
    }
}
