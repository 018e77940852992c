/// The configured limits of one limited resource: a provider's model used with one API key.
///
/// `nil` means no limit of that kind. Requests and tokens refill continuously at `perMinute / 60`
/// per second up to their burst, like the token buckets Anthropic documents.
public struct RateLimits: Hashable, Sendable {
    /// Requests per minute (RPM).
    public var requestsPerMinute: Int?
    /// Tokens per minute (TPM): each request reserves its input estimate plus its output cap, and is
    /// corrected to the tokens it really used.
    public var tokensPerMinute: Int?
    /// Requests in flight at once; a stream holds its slot until it ends.
    public var maxConcurrent: Int?
    /// Requests that may go at once after a quiet period; `nil` = ``requestsPerMinute``.
    public var requestBurst: Int?
    /// Tokens that may be reserved at once after a quiet period; `nil` = ``tokensPerMinute``.
    public var tokenBurst: Int?

    public init(
        requestsPerMinute: Int? = nil, tokensPerMinute: Int? = nil, maxConcurrent: Int? = nil,
        requestBurst: Int? = nil, tokenBurst: Int? = nil
    ) {
        self.requestsPerMinute = requestsPerMinute
        self.tokensPerMinute = tokensPerMinute
        self.maxConcurrent = maxConcurrent
        self.requestBurst = requestBurst
        self.tokenBurst = tokenBurst
    }

    /// No limit of any kind.
    public var isEmpty: Bool { requestsPerMinute == nil && tokensPerMinute == nil && maxConcurrent == nil }

    /// These limits with every unset value taken from `defaults`.
    public func merged(over defaults: RateLimits) -> RateLimits {
        RateLimits(
            requestsPerMinute: requestsPerMinute ?? defaults.requestsPerMinute,
            tokensPerMinute: tokensPerMinute ?? defaults.tokensPerMinute,
            maxConcurrent: maxConcurrent ?? defaults.maxConcurrent,
            requestBurst: requestBurst ?? (requestsPerMinute == nil ? defaults.requestBurst : nil),
            tokenBurst: tokenBurst ?? (tokensPerMinute == nil ? defaults.tokenBurst : nil))
    }
}
