import Logging
import ServiceLifecycle
import Synchronization

/// Keeps the health of a set of providers: probes them in rounds, folds in the outcomes of real
/// requests, and reports state changes.
///
/// Each round calls every provider's ``LanguageModelProvider/health(logger:)`` concurrently, each
/// within ``HealthPolicy/probeTimeout``. A provider is `up` after a success, `degraded` after a slow
/// success or fewer than ``HealthPolicy/failuresBeforeDown`` failures in a row, `down` after that many
/// (or at once for a failure waiting will not fix). Time comes from a ``PolicyClock``, so rounds and
/// timeouts run in virtual time under test.
///
/// ```swift
/// let monitor = HealthMonitor(providers: client.providers, logger: logger)
/// let statuses = await monitor.checkAll()          // one round now
/// if monitor.isDown(.openAI) { … }
/// try await monitor.run()                           // a round every 30 s until cancelled
/// ```
///
/// `HealthMonitor` is a swift-service-lifecycle `Service`: add it to a `ServiceGroup` and it stops on
/// graceful shutdown.
public final class HealthMonitor: Sendable {
    /// The providers watched, in the order ``statuses`` lists them.
    public let providers: [any LanguageModelProvider]
    /// The rules for probing and for each state.
    public let policy: HealthPolicy
    let clock: PolicyClock
    private let logger: Logger
    private let state: Mutex<State>

    private struct State {
        var statuses: [ProviderID: ProviderHealthStatus] = [:]
    }

    private let broadcast = Broadcast<HealthStateChange>(bufferingPolicy: .bufferingNewest(256))

    /// A monitor for `providers`; every status starts `unknown`.
    public init(
        providers: [any LanguageModelProvider],
        policy: HealthPolicy = HealthPolicy(),
        clock: PolicyClock = .continuous,
        logger: Logger
    ) {
        self.providers = providers
        self.policy = policy
        self.clock = clock
        self.logger = logger
        var initial = State()
        for provider in providers {
            initial.statuses[provider.id] = ProviderHealthStatus(provider: provider.id, isLocal: provider.isLocal)
        }
        self.state = Mutex(initial)
    }

    // MARK: Reading

    /// The last known status of every provider, in the order of ``providers``.
    public var statuses: [ProviderHealthStatus] {
        let statuses = state.withLock { $0.statuses }
        var seen: Set<ProviderID> = []
        return providers.compactMap { provider in
            guard seen.insert(provider.id).inserted else { return nil }
            return statuses[provider.id]
        }
    }

    /// The last known status of `id`; `nil` for a provider this monitor does not watch.
    public func status(of id: ProviderID) -> ProviderHealthStatus? {
        state.withLock { $0.statuses[id] }
    }

    /// Whether `id` is `down` now (an unknown or unwatched provider is not).
    public func isDown(_ id: ProviderID) -> Bool {
        status(of: id)?.state == .down
    }

    /// Every state change from now on, including the first check of each provider (`unknown` → …).
    ///
    /// The stream ends when the monitor is released; stop listening by cancelling the consuming task.
    /// When a listener falls behind, the oldest unread changes are dropped.
    public func changes() -> AsyncStream<HealthStateChange> { broadcast.stream() }

    // MARK: Checking

    /// Probes every provider once, concurrently, each within ``HealthPolicy/probeTimeout``, and returns
    /// the statuses afterwards. A probe cut short by cancelling the calling task changes nothing.
    @discardableResult
    public func checkAll() async -> [ProviderHealthStatus] {
        await withTaskGroup(of: (ProviderID, HealthObservation?).self) { group in
            for provider in providers {
                group.addTask { (provider.id, await self.probe(provider)) }
            }
            for await (id, observation) in group {
                if let observation { apply(observation, to: id) }
            }
        }
        return statuses
    }

    /// Folds the outcome of a real request to `id` into its status, so traffic updates health between
    /// rounds (see ``HealthOutcome`` for which failures count). Outcomes for unwatched providers are ignored.
    public func record(_ id: ProviderID, outcome: HealthOutcome) {
        guard let observation = HealthObservation(outcome) else { return }
        apply(observation, to: id)
    }

    /// Runs a round now and then every ``HealthPolicy/interval`` until the task is cancelled or a
    /// graceful shutdown begins; then returns.
    public func run() async throws {
        await cancelWhenGracefulShutdown { [self] in
            while !Task.isCancelled {
                await checkAll()
                do {
                    try await clock.sleep(for: policy.interval)
                } catch {
                    return
                }
            }
        }
    }

    // MARK: Internals

    private func probe(_ provider: any LanguageModelProvider) async -> HealthObservation? {
        let started = clock.now
        let (logger, timeout) = (self.logger, policy.probeTimeout)
        let result = await clock.withTimeout(timeout) { await provider.health(logger: logger) }
        guard !Task.isCancelled else { return nil }
        switch result {
        case .finished(let health):
            if health.status != .healthy {
                logger.debug(
                    "health probe failed",
                    metadata: ["provider": "\(provider.id)", "detail": "\(health.detail ?? health.status.rawValue)"])
            }
            return HealthObservation(probe: health, measured: clock.now - started)
        case .timedOut:
            logger.debug("health probe timed out", metadata: ["provider": "\(provider.id)"])
            return .failure(message: "no answer within \(timeout.formattedSeconds)", hard: false)
        case .cancelled:
            return nil
        }
    }

    private func apply(_ observation: HealthObservation, to id: ProviderID) {
        let now = clock.now
        let change = state.withLock { state -> HealthStateChange? in
            guard var status = state.statuses[id] else { return nil }
            let before = status.state
            status.apply(observation, policy: policy, at: now)
            state.statuses[id] = status
            guard status.state != before else { return nil }
            let change = HealthStateChange(provider: id, from: before, to: status.state, status: status)
            // Yielded under the lock so every listener sees one provider's changes in order.
            broadcast.yield(change)
            return change
        }
        if let change {
            logger.info(
                "provider health changed",
                metadata: [
                    "provider": "\(id)", "from": "\(change.from)", "to": "\(change.to)",
                    "detail": "\(change.status.lastError ?? "")",
                ])
        }
    }
}
