import Synchronization

/// Counts abandoned responses and wakes tasks waiting for a count.
final class DisconnectTracker: Sendable {
    private struct Waiter {
        var threshold: Int
        var continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var count = 0
        var nextWaiterID = 0
        var waiters: [Int: Waiter] = [:]
        /// Once set, nothing is counted and every wait returns at once.
        var closed = false
    }

    private let state = Mutex(State())

    /// Responses the client abandoned so far.
    var count: Int { state.withLock { $0.count } }

    /// Records one abandoned response (ignored after ``close()``).
    func record() {
        let ready = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard !state.closed else { return [] }
            state.count += 1
            let count = state.count
            let ids = state.waiters.filter { $0.value.threshold <= count }.map(\.key)
            return ids.compactMap { state.waiters.removeValue(forKey: $0)?.continuation }
        }
        for continuation in ready { continuation.resume() }
    }

    /// Stops counting and releases every waiter.
    func close() {
        let waiting = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.closed = true
            defer { state.waiters = [:] }
            return state.waiters.values.map(\.continuation)
        }
        for continuation in waiting { continuation.resume() }
    }

    /// Returns once `threshold` disconnects were recorded, the tracker is closed, or the task is cancelled.
    func wait(for threshold: Int) async {
        let id = state.withLock { state -> Int in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.closed || state.count >= threshold || Task.isCancelled { return true }
                    state.waiters[id] = Waiter(threshold: threshold, continuation: continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let continuation = state.withLock { $0.waiters.removeValue(forKey: id)?.continuation }
            continuation?.resume()
        }
    }
}
