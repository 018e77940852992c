import Foundation

/// Where outbox entries are kept: in memory, in the embedded SQLite database, or a store of your own.
///
/// Each state change is one atomic step, and the in-flight ones are fenced by the attempt number that
/// ``markInFlight(id:at:)`` returned: an entry is completed, retried or failed only while it is still
/// in flight with that attempt, so a send can succeed at most once even when an old sender wakes up late.
public protocol OutboxStore: Sendable {
    /// Adds a pending entry for `request` and returns it with its new id.
    func insert(_ request: ChatRequest, priority: RequestPriority, at date: Date) async throws -> OutboxEntry
    /// Every entry, by id.
    func entries() async throws -> [OutboxEntry]
    /// The entry `id`, or `nil`.
    func entry(id: Int64) async throws -> OutboxEntry?
    /// Deletes the entry unless it is in flight.
    func remove(id: Int64) async throws -> OutboxRemoval
    /// `pending` → `inFlight` with one more attempt, atomically; `nil` when the entry is not pending
    /// (any more).
    func markInFlight(id: Int64, at date: Date) async throws -> OutboxEntry?
    /// `inFlight` → `completed` with `result`, atomically, if the entry is still in flight with `attempt`.
    func markCompleted(id: Int64, attempt: Int, result: OutboxResult, at date: Date) async throws -> Bool
    /// `inFlight` → `pending`, not to be sent before `retryAt`, if still in flight with `attempt`.
    /// With `refundingAttempt` the send does not count (it was stopped by a lost connection, not by the entry).
    func markPending(
        id: Int64, attempt: Int, error: OutboxFailure?, retryAt: Date?, refundingAttempt: Bool, at date: Date
    ) async throws -> Bool
    /// `inFlight` → `failed` with `error`, if still in flight with `attempt`.
    func markFailed(id: Int64, attempt: Int, error: OutboxFailure, at date: Date) async throws -> Bool
    /// Makes every in-flight entry pending again and returns their ids. Only called with the drain lock
    /// held, so they were left in flight by a drainer that is gone (a crash).
    func recoverInFlight(at date: Date) async throws -> [Int64]
    /// The exclusive right to drain, or `nil` when another drainer (in this process or another) holds it.
    func lockForDraining() async throws -> (any OutboxDrainLock)?
}

/// The right to drain an outbox; give it back with ``release()``.
public protocol OutboxDrainLock: Sendable {
    func release() async
}

/// What ``OutboxStore/remove(id:)`` did.
public enum OutboxRemoval: Hashable, Sendable {
    case removed
    case notFound
    /// The entry is being sent; remove it after the sync.
    case inFlight
}
