import Foundation

/// Where the response cache keeps its entries: in memory (``InMemoryResponseCacheStore``), in the
/// embedded SQLite database (``SQLiteCacheStore``), or (later) PostgreSQL.
///
/// Stores know nothing of keys' meaning or of policies; ``ResponseCache`` decides what to store and
/// when. Every method takes the current time from the caller, so expiry follows the injected clock.
public protocol ResponseCacheStore: Sendable {
    /// Whether the entries stay on this machine; sensitive answers are cached only in such a store.
    var isLocal: Bool { get }

    /// The entry under `key` unless it has expired at `now`; a returned entry counts as used now
    /// (one more hit, most recently used).
    func entry(for key: CacheKey, now: Date) async throws -> ResponseCacheEntry?

    /// Stores `entry`, replacing one with the same key (it becomes the most recently used), removes the
    /// entries expired at `now`, and then the least recently used ones while there are more than
    /// `maxEntries`; returns the keys of the entries removed.
    func insert(_ entry: ResponseCacheEntry, maxEntries: Int?, now: Date) async throws -> [CacheKey]

    /// Removes the entries `invalidation` matches and returns their keys.
    func remove(_ invalidation: CacheInvalidation) async throws -> [CacheKey]

    /// The key, partition and vector of every semantic entry not expired at `now`: what the in-memory
    /// semantic index is built from at start.
    func semanticEntries(now: Date) async throws -> [(key: CacheKey, semantic: ResponseCacheEntry.Semantic)]

    /// What the store holds at `now`.
    func statistics(now: Date) async throws -> ResponseCacheStatistics

    /// Writes any use (hits, recency) still buffered in memory.
    func flush() async throws
}
