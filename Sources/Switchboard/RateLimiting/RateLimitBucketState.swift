/// The buckets of one limited resource and the arithmetic on them; ``InMemoryRateLimitStore``
/// keeps one per key.
struct RateLimitBucketState: Sendable {
    /// What a provider's header said about one window, counted down as requests are granted.
    struct Window: Sendable {
        var limit: Int?
        var remaining: Int
        var resetsAt: Duration
    }

    var limits: RateLimits
    var requests: TokenBucket?
    var tokens: TokenBucket?
    var learnedRequests: Window?
    var learnedTokens: Window?
    var inFlight = 0
    var pausedUntil: Duration?

    init(limits: RateLimits, now: Duration) {
        self.limits = limits
        makeBuckets(now: now)
    }

    /// Adopts changed limits (or the first limits of a state created by headers) with full buckets.
    mutating func configure(_ limits: RateLimits, now: Duration) {
        guard limits != self.limits else { return }
        self.limits = limits
        makeBuckets(now: now)
    }

    private mutating func makeBuckets(now: Duration) {
        requests = nil
        tokens = nil
        if let perMinute = limits.requestsPerMinute {
            requests = TokenBucket(perMinute: perMinute, burst: limits.requestBurst ?? perMinute, now: now)
        }
        if let perMinute = limits.tokensPerMinute {
            tokens = TokenBucket(perMinute: perMinute, burst: limits.tokenBurst ?? perMinute, now: now)
        }
    }

    /// Drops what has run out and refills the buckets.
    private mutating func advance(to now: Duration) {
        requests?.refill(at: now)
        tokens?.refill(at: now)
        if let window = learnedRequests, window.resetsAt <= now { learnedRequests = nil }
        if let window = learnedTokens, window.resetsAt <= now { learnedTokens = nil }
        if let pausedUntil, pausedUntil <= now { self.pausedUntil = nil }
    }

    mutating func acquire(_ demand: RateLimitDemand, now: Duration) -> RateLimitAdmission {
        advance(to: now)
        var retryAt: Duration?
        var reasons: [String] = []
        func wait(until time: Duration, _ reason: String) {
            retryAt = max(retryAt ?? time, time)
            reasons.append(reason)
        }
        if let pausedUntil { wait(until: pausedUntil, "paused after a 429") }
        if let requests {
            let delay = requests.wait(for: 1)
            if delay > .zero { wait(until: now + delay, "requests per minute") }
        }
        if let tokens, demand.tokens > 0 {
            let delay = tokens.wait(for: demand.tokens)
            if delay > .zero { wait(until: now + delay, "tokens per minute") }
        }
        if let window = learnedRequests, window.remaining < 1 {
            wait(until: window.resetsAt, "the provider's remaining requests")
        }
        if let window = learnedTokens, demand.tokens > 0,
            window.remaining < min(demand.tokens, window.limit ?? demand.tokens)
        {
            wait(until: window.resetsAt, "the provider's remaining tokens")
        }
        if let maxConcurrent = limits.maxConcurrent, inFlight >= maxConcurrent {
            reasons.append("concurrent requests")
        }
        guard reasons.isEmpty else {
            // Without a time, only a release frees the slot; with one, the limiter also tries again then.
            return .denied(retryAt: retryAt, reason: reasons.joined(separator: ", "))
        }
        requests?.take(1)
        tokens?.take(demand.tokens)
        learnedRequests?.remaining -= 1
        learnedTokens?.remaining -= demand.tokens
        inFlight += 1
        return .granted
    }

    mutating func release(_ demand: RateLimitDemand, usedTokens: Int?, now: Duration) {
        advance(to: now)
        inFlight = max(0, inFlight - 1)
        if let usedTokens { tokens?.giveBack(demand.tokens - usedTokens) }
    }

    /// The provider's count replaces ours; requests granted but not yet answered are not in it yet.
    mutating func learn(_ snapshot: RateLimitSnapshot, now: Duration) {
        advance(to: now)
        let othersInFlight = max(0, inFlight - 1)
        if let window = Self.window(snapshot.requests, now: now) {
            learnedRequests = window
            learnedRequests?.remaining -= othersInFlight
        }
        if let window = Self.window(snapshot.tokens ?? snapshot.inputTokens, now: now) { learnedTokens = window }
    }

    mutating func pause(until: Duration, now: Duration) {
        advance(to: now)
        pausedUntil = max(pausedUntil ?? until, until)
    }

    mutating func status(key: RateLimitKey, now: Duration) -> RateLimitBucketStatus {
        advance(to: now)
        func learned(_ window: Window?) -> RateLimitBucketStatus.LearnedWindow? {
            window.map { .init(limit: $0.limit, remaining: max(0, $0.remaining), resetsIn: $0.resetsAt - now) }
        }
        return RateLimitBucketStatus(
            key: key, limits: limits, availableRequests: requests?.available, availableTokens: tokens?.available,
            learnedRequests: learned(learnedRequests), learnedTokens: learned(learnedTokens), inFlight: inFlight,
            pausedFor: pausedUntil.map { $0 - now })
    }

    private static func window(_ window: RateLimitSnapshot.Window?, now: Duration) -> Window? {
        guard let window, let remaining = window.remaining, let resetsIn = window.resetsIn, resetsIn > .zero else {
            return nil
        }
        return Window(limit: window.limit, remaining: remaining, resetsAt: now + resetsIn)
    }
}
