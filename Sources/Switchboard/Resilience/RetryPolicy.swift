/// How often and how long to wait before sending a failed request to the same candidate again.
///
/// The defaults follow the official OpenAI and Anthropic SDKs (wire reference §1.5): two retries,
/// backoff 0.5 s × 2ⁿ capped at 8 s with jitter (1 − 0.25 · random), and the provider's Retry-After
/// honoured exactly up to a cap (60 s, Anthropic's) — beyond it the request falls back instead of waiting.
public struct RetryPolicy: Hashable, Sendable {
    /// Retries after the first attempt, per candidate.
    public var maxRetries: Int
    /// The backoff before the first retry.
    public var initialBackoff: Duration
    /// The longest backoff, however many retries came before.
    public var maxBackoff: Duration
    /// The share (0…1) a backoff may be shortened by at random: delay × (1 − jitter × random).
    public var jitter: Double
    /// A provider wait hint longer than this makes the request fall back instead of waiting.
    public var maxRetryAfter: Duration

    /// A policy; the defaults are the official SDKs'.
    public init(
        maxRetries: Int = 2,
        initialBackoff: Duration = .milliseconds(500),
        maxBackoff: Duration = .seconds(8),
        jitter: Double = 0.25,
        maxRetryAfter: Duration = .seconds(60)
    ) {
        self.maxRetries = maxRetries
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.jitter = jitter
        self.maxRetryAfter = maxRetryAfter
    }

    /// What to do after failed attempt number `attempt` (0 = the first try) ended in `error`.
    ///
    /// - `quotaExceeded`: `.fallBack` — waiting does not help.
    /// - not retryable (``ProviderError/isRetryable``, which honours `x-should-retry`): `.stop`; the caller
    ///   decides itself whether such a kind falls back.
    /// - retryable but `attempt >= maxRetries`: `.fallBack(reason: "retries exhausted")`.
    /// - retryable with a positive ``ProviderError/retryAfter`` over ``maxRetryAfter``:
    ///   `.fallBack(reason: "provider asked to wait 90s, over the 60s cap")`.
    /// - retryable with a positive `retryAfter` within the cap: `.retry(after: retryAfter)`, exactly, no jitter.
    /// - otherwise `.retry(after: min(maxBackoff, initialBackoff × 2^attempt) × (1 − jitter × random))`.
    ///
    /// - Parameter random: a number in [0, 1) that drives the jitter (see ``JitterSource``); clamped to it.
    public func decision(afterAttempt attempt: Int, error: ProviderError, random: Double) -> RetryDecision {
        if error.kind == .quotaExceeded {
            return .fallBack(reason: "quota exceeded; waiting does not help")
        }
        guard error.isRetryable else { return .stop }
        guard attempt < maxRetries else { return .fallBack(reason: "retries exhausted") }
        if let retryAfter = error.retryAfter, retryAfter > .zero {
            guard retryAfter <= maxRetryAfter else {
                return .fallBack(
                    reason:
                        "provider asked to wait \(retryAfter.formattedSeconds), over the \(maxRetryAfter.formattedSeconds) cap"
                )
            }
            return .retry(after: retryAfter)
        }
        return .retry(after: backoff(afterAttempt: attempt, random: random))
    }

    /// min(maxBackoff, initialBackoff × 2^attempt) × (1 − jitter × random), without overflowing for large attempts.
    private func backoff(afterAttempt attempt: Int, random: Double) -> Duration {
        var delay = initialBackoff
        var doublings = max(0, attempt)
        while doublings > 0 && delay < maxBackoff {
            delay *= 2
            doublings -= 1
        }
        delay = min(delay, maxBackoff)
        let jitter = min(max(jitter, 0), 1)
        let random = random.isNaN ? 0 : min(max(random, 0), 1)
        return delay * (1 - jitter * random)
    }
}
