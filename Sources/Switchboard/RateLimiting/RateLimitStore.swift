/// Where the buckets of every limited resource live, so several gateway processes can share one
/// limit (a PostgreSQL implementation can come later; ``InMemoryRateLimitStore`` serves one process).
///
/// Every operation is atomic for its key. Times are durations on the ``RateLimiter``'s clock; a
/// store shared between processes would use its own time source (the database's clock) instead.
/// The queue of waiting requests is not here: it belongs to each process.
public protocol RateLimitStore: Sendable {
    /// Takes `demand` from the buckets of `key` if every limit allows it now, else takes nothing.
    ///
    /// - Parameter limits: the configured limits; the store creates full buckets the first time.
    func acquire(
        _ demand: RateLimitDemand, for key: RateLimitKey, limits: RateLimits, now: Duration
    ) async throws -> RateLimitAdmission

    /// Returns the concurrency slot taken by `demand` and corrects its token reservation to
    /// `usedTokens` (`nil`: keep the reservation as it was).
    func release(_ demand: RateLimitDemand, usedTokens: Int?, for key: RateLimitKey, now: Duration) async throws

    /// Records what a response's rate-limit headers said: nothing more than `remaining` is handed
    /// out before the window resets.
    func learn(_ snapshot: RateLimitSnapshot, for key: RateLimitKey, now: Duration) async throws

    /// Lets nothing through for `key` until `until` (after a 429).
    func pause(_ key: RateLimitKey, until: Duration, now: Duration) async throws

    /// The state of `key`'s resource; `nil` when the store has not seen it.
    func status(of key: RateLimitKey, now: Duration) async throws -> RateLimitBucketStatus?

    /// The state of every resource the store knows.
    func statuses(now: Duration) async throws -> [RateLimitBucketStatus]
}
