import Foundation
import Synchronization

/// Where the audit trail lives. Append-only: implementations chain each event to the last entry
/// (``AuditChain``) inside one atomic write, so several writers never fork the chain.
public protocol AuditStore: Sendable {
    /// Chains `events`, in order, after the last entry and stores them.
    func append(_ events: [AuditEvent]) async throws
    /// The entries whose time is in `since ..< until` (either open), in sequence order.
    func entries(since: Date?, until: Date?) async throws -> [AuditEntry]
    /// The last entry's sequence number and hash, as the store recorded it; `nil` when empty.
    func head() async throws -> AuditHead?
}

extension AuditStore {
    /// Checks the whole trail: an edited, inserted or deleted entry is reported.
    public func verify() async throws -> AuditVerification {
        AuditChain.verify(try await entries(since: nil, until: nil), head: try await head())
    }
}

/// An audit trail in memory, for tests and short-lived programs.
public final class InMemoryAuditStore: AuditStore {
    private let state = Mutex<(entries: [AuditEntry], head: AuditHead?)>(([], nil))

    public init() {}

    public func append(_ events: [AuditEvent]) async throws {
        state.withLock { state in
            let chained = AuditChain.chain(events, after: state.head)
            state.entries += chained
            if let last = chained.last { state.head = AuditHead(sequence: last.sequence, hash: last.hash) }
        }
    }

    public func entries(since: Date?, until: Date?) async throws -> [AuditEntry] {
        state.withLock { state in
            state.entries.filter { entry in
                (since.map { entry.event.date >= $0 } ?? true) && (until.map { entry.event.date < $0 } ?? true)
            }
        }
    }

    public func head() async throws -> AuditHead? { state.withLock { $0.head } }

    /// Replaces the stored entries as they are, without chaining: for tests that tamper with the trail.
    public func overwriteEntries(_ entries: [AuditEntry]) {
        state.withLock { $0.entries = entries }
    }
}
