import Foundation

/// An outbox in memory, for tests and for clients that keep no files; lost at exit.
public actor InMemoryOutboxStore: OutboxStore {
    private var stored: [Int64: OutboxEntry] = [:]
    private var lastID: Int64 = 0
    private var locked = false

    public init() {}

    public func insert(_ request: ChatRequest, priority: RequestPriority, at date: Date) -> OutboxEntry {
        lastID += 1
        let entry = OutboxEntry(id: lastID, request: request, priority: priority, createdAt: date)
        stored[lastID] = entry
        return entry
    }

    public func entries() -> [OutboxEntry] { stored.values.sorted { $0.id < $1.id } }

    public func entry(id: Int64) -> OutboxEntry? { stored[id] }

    public func remove(id: Int64) -> OutboxRemoval {
        guard let entry = stored[id] else { return .notFound }
        guard entry.state != .inFlight else { return .inFlight }
        stored[id] = nil
        return .removed
    }

    public func markInFlight(id: Int64, at date: Date) -> OutboxEntry? {
        guard var entry = stored[id], entry.state == .pending else { return nil }
        entry.state = .inFlight
        entry.attempts += 1
        entry.updatedAt = date
        stored[id] = entry
        return entry
    }

    public func markCompleted(id: Int64, attempt: Int, result: OutboxResult, at date: Date) -> Bool {
        update(id, attempt: attempt) { entry in
            entry.state = .completed
            entry.result = result
            entry.retryAt = nil
            entry.updatedAt = date
        }
    }

    public func markPending(
        id: Int64, attempt: Int, error: OutboxFailure?, retryAt: Date?, refundingAttempt: Bool, at date: Date
    ) -> Bool {
        update(id, attempt: attempt) { entry in
            entry.state = .pending
            if refundingAttempt { entry.attempts -= 1 }
            if let error { entry.lastError = error }
            entry.retryAt = retryAt
            entry.updatedAt = date
        }
    }

    public func markFailed(id: Int64, attempt: Int, error: OutboxFailure, at date: Date) -> Bool {
        update(id, attempt: attempt) { entry in
            entry.state = .failed
            entry.lastError = error
            entry.retryAt = nil
            entry.updatedAt = date
        }
    }

    public func recoverInFlight(at date: Date) -> [Int64] {
        let ids = stored.values.filter { $0.state == .inFlight }.map(\.id).sorted()
        for id in ids {
            stored[id]?.state = .pending
            stored[id]?.updatedAt = date
        }
        return ids
    }

    public func lockForDraining() -> (any OutboxDrainLock)? {
        guard !locked else { return nil }
        locked = true
        return InMemoryDrainLock(store: self)
    }

    fileprivate func unlock() { locked = false }

    private func update(_ id: Int64, attempt: Int, _ change: (inout OutboxEntry) -> Void) -> Bool {
        guard var entry = stored[id], entry.state == .inFlight, entry.attempts == attempt else { return false }
        change(&entry)
        stored[id] = entry
        return true
    }
}

private struct InMemoryDrainLock: OutboxDrainLock {
    let store: InMemoryOutboxStore

    func release() async { await store.unlock() }
}
