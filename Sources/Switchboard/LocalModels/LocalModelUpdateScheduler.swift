/// Re-pulls every installed model every `interval` (``LocalModelPolicy/updateInterval``), timed by
/// an injected clock.
///
/// ``run()`` loops until its task is cancelled, so it fits a swift-service-lifecycle `Service`:
///
/// ```swift
/// let updater = LocalModelUpdateScheduler(manager: manager, clock: ContinuousClock())
/// let task = Task { try await updater.run() }
/// // …
/// task.cancel()
/// ```
///
/// A failed update is logged and retried at the next tick. Ticks missed while an update ran are
/// skipped, not made up.
public struct LocalModelUpdateScheduler<C: Clock>: Sendable where C.Duration == Duration {
    /// The manager whose models are updated.
    public let manager: LocalModelManager
    /// The time between updates; `nil` (no schedule) makes ``run()`` return at once.
    public let interval: Duration?
    /// The clock the schedule follows.
    public let clock: C
    private let onUpdate: @Sendable ([LocalModelUpdate]) async -> Void

    /// A schedule for `manager`, every `interval` (default: the policy's `updateInterval`).
    ///
    /// - Parameter onUpdate: called after each successful update with its results.
    public init(
        manager: LocalModelManager, interval: Duration? = nil, clock: C,
        onUpdate: @escaping @Sendable ([LocalModelUpdate]) async -> Void = { _ in }
    ) {
        self.manager = manager
        self.interval = interval ?? manager.policy.updateInterval
        self.clock = clock
        self.onUpdate = onUpdate
    }

    /// Updates every `interval` until the task is cancelled (then throws `CancellationError`).
    public func run() async throws {
        guard let interval, interval > .zero else { return }
        var deadline = clock.now.advanced(by: interval)
        while true {
            try await clock.sleep(until: deadline, tolerance: nil)
            do {
                let updates = try await manager.update(nil)
                await onUpdate(updates)
            } catch  where Task.isCancelled {
                throw CancellationError()
            } catch {
                manager.logger.warning("scheduled local model update failed", metadata: ["error": "\(error)"])
            }
            let now = clock.now
            deadline = deadline.advanced(by: interval)
            while deadline <= now { deadline = deadline.advanced(by: interval) }
        }
    }
}
