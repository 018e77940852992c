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
        /// Tests waiting until this many responses are held.
        var holdWatchers: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Mutex(State())

    /// Creates a closed gate.
    public init() {}

    /// Opens the gate, releasing every held response; later holds pass at once.
    public func open() {
        let (waiting, watchers) = state.withLock {
            state -> ([CheckedContinuation<Void, any Error>], [CheckedContinuation<Void, Never>]) in
            state.isOpen = true
            defer {
                state.waiters = [:]
                state.holdWatchers = []
            }
            return (Array(state.waiters.values), state.holdWatchers.map(\.continuation))
        }
        for continuation in waiting { continuation.resume() }
        for watcher in watchers { watcher.resume() }
    }

    /// Whether ``open()`` has been called.
    public var isOpen: Bool { state.withLock { $0.isOpen } }

    /// The responses held at this gate now.
    public var heldCount: Int { state.withLock { $0.waiters.count } }

    /// Returns once at least `count` responses are held at this gate (at once when the gate is open),
    /// so a test can act while a client waits for its answer — kill it, cut the network.
    public func waitUntilHolding(_ count: Int = 1) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                if state.isOpen || state.waiters.count >= count { return true }
                state.holdWatchers.append((count, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Returns once the gate is open; throws `CancellationError` when the task is cancelled first.
    func wait() async throws {
        let id = state.withLock { state -> Int in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let (outcome, ready) = state.withLock {
                    state -> (Result<Void, any Error>?, [CheckedContinuation<Void, Never>]) in
                    if state.isOpen { return (.success(()), []) }
                    if Task.isCancelled { return (.failure(CancellationError()), []) }
                    state.waiters[id] = continuation
                    let held = state.waiters.count
                    let ready = state.holdWatchers.filter { $0.count <= held }.map(\.continuation)
                    state.holdWatchers.removeAll { $0.count <= held }
                    return (nil, ready)
                }
                if let outcome { continuation.resume(with: outcome) }
                for watcher in ready { watcher.resume() }
            }
        } onCancel: {
            let continuation = state.withLock { $0.waiters.removeValue(forKey: id) }
            continuation?.resume(throwing: CancellationError())
        }
    }

    public static func == (lhs: SimulatorGate, rhs: SimulatorGate) -> Bool { lhs === rhs }

    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
