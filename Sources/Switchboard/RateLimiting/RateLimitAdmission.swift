/// A store's answer to a request for capacity.
public enum RateLimitAdmission: Hashable, Sendable {
    /// The demand was taken from the buckets; release it when the request ends.
    case granted
    /// Nothing was taken. Try again at `retryAt` (on the limiter's clock), or, when it is `nil`,
    /// once a request in flight ends. `reason` says which limit is reached.
    case denied(retryAt: Duration?, reason: String)
}
