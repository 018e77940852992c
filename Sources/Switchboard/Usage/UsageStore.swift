import Foundation

/// Where the usage ledger is kept: in memory, in the embedded SQLite database, or (later) PostgreSQL.
///
/// Implementations must make ``append(_:)`` durable as one unit per call (one transaction), so a
/// batch is either all there or not at all.
public protocol UsageStore: Sendable {
    /// Adds rows, in order.
    func append(_ records: [UsageRecord]) async throws
    /// The rows whose timestamp is at or after `since` and before `until` (either may be `nil`), oldest first.
    func records(since: Date?, until: Date?) async throws -> [UsageRecord]
    /// What the rows of `component` at or after `since` cost together (rows without a cost add nothing):
    /// a virtual key's budget reads its spending this way without loading the period's other rows.
    func cost(ofComponent component: String, since: Date?) async throws -> Money
}

extension UsageStore {
    /// Sums ``records(since:until:)``; a store that can filter and sum itself should.
    public func cost(ofComponent component: String, since: Date?) async throws -> Money {
        try await records(since: since, until: nil).reduce(into: Money.zero) { total, record in
            if record.component == component, let cost = record.cost { total += cost }
        }
    }
}

/// A ledger in memory, for tests and for clients that keep no files.
public actor InMemoryUsageStore: UsageStore {
    private var stored: [UsageRecord] = []

    public init(records: [UsageRecord] = []) { stored = records }

    public func append(_ records: [UsageRecord]) {
        stored += records
    }

    public func records(since: Date?, until: Date?) -> [UsageRecord] {
        stored.filter { record in
            (since.map { record.timestamp >= $0 } ?? true) && (until.map { record.timestamp < $0 } ?? true)
        }
    }
}
