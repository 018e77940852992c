/// What to do after an attempt failed, as decided by ``RetryPolicy``.
public enum RetryDecision: Hashable, Sendable {
    /// Send the request to the same candidate again after waiting this long.
    case retry(after: Duration)
    /// Give up on this candidate and try the next one; `reason` is for logs and ``RequestAttempt``s.
    case fallBack(reason: String)
    /// The error is not retryable; the caller decides whether another candidate should be tried.
    case stop
}
