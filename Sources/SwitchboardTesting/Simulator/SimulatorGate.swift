import Synchronization

/// A switch that holds simulated responses open until a test opens it.
///
/// Pass it in ``SimulatedFault/holdAfterEvents(_:_:)`` (or in ``ProviderSimulator/setPullFaults(_:)``):
/// after that many events the response pauses until ``open()`` is called, then continues. A gate
/// stays open once opened, so every later hold on it passes at once. Held responses also end when
/// the simulator shuts down. Gates compare by identity.
public final class SimulatorGate: Sendable, Hashable {
    private struct State {
        var isOpen = false
        var nextWaiterID = 0
        var waiters: [Int: CheckedContinuation<Void, any Error>] = [:]
    }

    private let state = Mutex(State())

    /// Creates a closed gate.
    public init() {}

    /// Opens the gate, releasing every held response; later holds pass at once.
    public func open() {
        let waiting = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            state.isOpen = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for continuation in waiting { continuation.resume() }
    }

    /// Whether ``open()`` has been called.
    public var isOpen: Bool { state.withLock { $0.isOpen } }

    /// Returns once the gate is open; throws `CancellationError` when the task is cancelled first.
    func wait() async throws {
        let id = state.withLock { state -> Int in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome = state.withLock { state -> Result<Void, any Error>? in
                    if state.isOpen { return .success(()) }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    state.waiters[id] = continuation
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let continuation = state.withLock { $0.waiters.removeValue(forKey: id) }
            continuation?.resume(throwing: CancellationError())
        }
    }

    public static func == (lhs: SimulatorGate, rhs: SimulatorGate) -> Bool { lhs === rhs }

    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
