import Synchronization

/// Wakes one waiting loop: ``ring()`` releases the task in ``wait()``, or the next one to wait when none is.
///
/// The run loops of ``ConnectivityMonitor`` and ``Outbox`` sleep on it between rounds, so a new
/// unreachable provider or a return online starts the next round at once.
final class Doorbell: Sendable {
    private struct State {
        var rung = false
        var nextWaiter = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    /// Releases every waiting task, or the next one to wait.
    func ring() {
        let waiting = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            guard !state.waiters.isEmpty else {
                state.rung = true
                return []
            }
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiting { waiter.resume() }
    }

    /// Returns after a ring (one rung before counts once) or when the task is cancelled.
    func wait() async {
        let id = state.withLock { state -> Int in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.rung {
                        state.rung = false
                        return true
                    }
                    if Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let continuation = state.withLock { $0.waiters.removeValue(forKey: id) }
            continuation?.resume()
        }
    }

    /// Returns after a ring, after `timeout` of `clock`'s time (never, when `nil`), or on cancellation.
    func wait(atMost timeout: Duration?, clock: PolicyClock) async {
        guard let timeout else { return await wait() }
        let rung = state.withLock { state in
            defer { state.rung = false }
            return state.rung
        }
        if rung { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.wait() }
            group.addTask { try? await clock.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
    }
}
