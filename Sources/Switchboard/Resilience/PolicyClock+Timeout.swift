/// How work raced against a timeout on a ``PolicyClock`` ended.
enum TimedOutcome<Value: Sendable>: Sendable {
    case finished(Value)
    case timedOut
    /// The waiting task was cancelled before either ended.
    case cancelled
}

extension PolicyClock {
    /// Runs `operation` and gives up on it after `timeout` on this clock (virtual time in tests),
    /// cancelling whichever of the two did not end first.
    func withTimeout<Value: Sendable>(
        _ timeout: Duration, _ operation: @escaping @Sendable () async -> Value
    ) async -> TimedOutcome<Value> {
        await withTaskGroup(of: TimedOutcome<Value>.self) { group in
            group.addTask { .finished(await operation()) }
            group.addTask {
                do {
                    try await self.sleep(for: timeout)
                    return .timedOut
                } catch {
                    return .cancelled
                }
            }
            var outcome = TimedOutcome<Value>.cancelled
            for await next in group {
                if case .cancelled = next { continue }
                outcome = next
                break
            }
            group.cancelAll()
            return outcome
        }
    }
}
