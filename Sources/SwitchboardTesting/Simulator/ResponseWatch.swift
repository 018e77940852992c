import Synchronization

/// Tracks whether one connection is in the middle of a response, so that a close or a failed
/// write during it is counted as a client disconnect exactly once.
final class ResponseWatch: Sendable {
    private let active = Mutex(false)
    private let tracker: DisconnectTracker

    init(tracker: DisconnectTracker) {
        self.tracker = tracker
    }

    /// A request was received; its response is now owed.
    func begin() {
        active.withLock { $0 = true }
    }

    /// The response is complete, or the server itself is ending it (scripted cut or drop); returns
    /// whether it was still owed (the client had not gone away).
    @discardableResult
    func complete() -> Bool {
        active.withLock { active in
            defer { active = false }
            return active
        }
    }

    /// The connection closed or a write failed: counts a disconnect if a response was owed.
    func abandon() {
        let wasActive = active.withLock { active -> Bool in
            defer { active = false }
            return active
        }
        if wasActive { tracker.record() }
    }
}
