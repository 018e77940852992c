/// The requests waiting for one limited resource, in the order they are served: by priority, then
/// first come, first served. Bounded: it keeps the `capacity` waiters that would be served first.
struct RateLimitQueue<Payload: Sendable>: Sendable {
    struct Waiter {
        let id: UInt64
        let priority: RequestPriority
        /// When the request stops waiting and fails with `queueTimeout`.
        let deadline: Duration?
        let payload: Payload
    }

    /// What became of a new waiter.
    enum Admission {
        case queued
        /// Queued; the last waiter had to leave to make room.
        case queuedDisplacing(Waiter)
        /// Not queued: the queue is full and the new waiter would be served after every waiting one.
        case rejected
    }

    let capacity: Int
    private(set) var waiters: [Waiter] = []

    init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    var isEmpty: Bool { waiters.isEmpty }
    var count: Int { waiters.count }
    var first: Waiter? { waiters.first }
    var earliestDeadline: Duration? { waiters.lazy.compactMap(\.deadline).min() }

    /// Queues `waiter` after every waiter of its priority or higher.
    ///
    /// When the queue is full, a waiter whose priority is not above the lowest waiting one would be
    /// served last, so it is rejected; a higher one displaces the last waiter (the youngest of the
    /// lowest priority), which the caller must fail — nothing leaves the queue silently.
    mutating func enqueue(_ waiter: Waiter) -> Admission {
        var displaced: Waiter?
        if waiters.count >= capacity {
            guard let last = waiters.last, waiter.priority > last.priority else { return .rejected }
            displaced = waiters.removeLast()
        }
        let index = waiters.firstIndex { $0.priority < waiter.priority } ?? waiters.endIndex
        waiters.insert(waiter, at: index)
        return displaced.map(Admission.queuedDisplacing) ?? .queued
    }

    /// Takes the waiter with `id` out of the queue, if it is still there.
    mutating func remove(id: UInt64) -> Waiter? {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return nil }
        return waiters.remove(at: index)
    }

    /// Takes out every waiter whose deadline is at or before `now`.
    mutating func removeExpired(now: Duration) -> [Waiter] {
        guard waiters.contains(where: { $0.deadline.map { $0 <= now } ?? false }) else { return [] }
        let expired = waiters.filter { $0.deadline.map { $0 <= now } ?? false }
        waiters.removeAll { $0.deadline.map { $0 <= now } ?? false }
        return expired
    }
}
