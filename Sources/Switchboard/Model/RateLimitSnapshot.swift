import Foundation

/// What a provider's rate-limit headers said on one response.
public struct RateLimitSnapshot: Hashable, Sendable {
    /// One limited resource: requests or tokens in the provider's window.
    public struct Window: Hashable, Sendable {
        public var limit: Int?
        public var remaining: Int?
        /// Time until the window is full again, measured from when the response arrived.
        public var resetsIn: Duration?

        public init(limit: Int? = nil, remaining: Int? = nil, resetsIn: Duration? = nil) {
            self.limit = limit
            self.remaining = remaining
            self.resetsIn = resetsIn
        }

        var isEmpty: Bool { limit == nil && remaining == nil && resetsIn == nil }
    }

    public var requests: Window?
    /// The most restrictive token window.
    public var tokens: Window?
    public var inputTokens: Window?
    public var outputTokens: Window?
    /// The provider's `retry-after-ms` or `retry-after`.
    public var retryAfter: Duration?

    public init(
        requests: Window? = nil,
        tokens: Window? = nil,
        inputTokens: Window? = nil,
        outputTokens: Window? = nil,
        retryAfter: Duration? = nil
    ) {
        self.requests = requests
        self.tokens = tokens
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.retryAfter = retryAfter
    }

    var isEmpty: Bool {
        requests == nil && tokens == nil && inputTokens == nil && outputTokens == nil && retryAfter == nil
    }
}
