import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// Decides whether Switchboard is online, degraded or offline, from the outcomes of real requests and
/// from probes, and publishes every change.
///
/// Only external providers count (local ones are the fallback, not the network). A provider becomes
/// unreachable after ``ConnectivityPolicy/failuresBeforeUnreachable`` network failures in a row —
/// never after one — and reachable again as soon as a request or probe gets any answer from it.
/// The mode is `offline` when every external provider is unreachable, `degraded` when some are
/// unreachable or failing, `online` otherwise (also with no external provider at all).
///
/// While a provider is unreachable, routing skips it and recovery probes (a `GET` of its model list)
/// try it again after a backoff that doubles up to ``ConnectivityPolicy/maxProbeBackoff``. Probes
/// run in ``run()`` (add the monitor to a `ServiceGroup`), and the client also runs a due probe
/// before a request, so a client without the service still comes back online. Time comes from a
/// ``PolicyClock``, so backoff runs in virtual time under test.
///
/// Every change is published on ``modeChanges()``, logged (`notice`) and recorded in the
/// `switchboard.connectivity.mode` gauge (0 online, 1 degraded, 2 offline; dimension `monitor`).
///
/// ```swift
/// for await change in client.connectivity.modeChanges() {
///     print("now \(change.to): \(change.reason)")
/// }
/// ```
public final class ConnectivityMonitor: Sendable {
    /// The external providers watched, in configuration order.
    public let providers: [any LanguageModelProvider]
    public let policy: ConnectivityPolicy
    /// The `monitor` dimension of this monitor's metrics.
    public let name: String
    let clock: PolicyClock
    private let logger: Logger
    private let state: Mutex<State>
    private let doorbell = Doorbell()
    private let gauge: Gauge

    private struct State {
        var reachability: [ProviderID: ProviderReachability] = [:]
        var mode = ConnectivityMode.online
        var probing: Set<ProviderID> = []
    }

    private let broadcast = Broadcast<ConnectivityChange>(bufferingPolicy: .bufferingNewest(64))

    /// A monitor for the external ones among `providers`; it starts `online`.
    ///
    /// - Parameter name: the `monitor` dimension of the metrics, to tell several clients apart.
    public init(
        providers: [any LanguageModelProvider],
        policy: ConnectivityPolicy = ConnectivityPolicy(),
        clock: PolicyClock = .continuous,
        name: String = "default",
        logger: Logger
    ) {
        var seen: Set<ProviderID> = []
        self.providers = providers.filter { !$0.isLocal && seen.insert($0.id).inserted }
        self.policy = policy
        self.clock = clock
        self.name = name
        self.logger = logger
        var initial = State()
        for provider in self.providers {
            initial.reachability[provider.id] = ProviderReachability(provider: provider.id)
        }
        self.state = Mutex(initial)
        gauge = Gauge(label: "switchboard.connectivity.mode", dimensions: [("monitor", name)])
        gauge.record(ConnectivityMode.online.metricValue)
    }

    // MARK: Reading

    /// The mode now.
    public var mode: ConnectivityMode { state.withLock { $0.mode } }

    /// What is known about each external provider, in the order of ``providers``.
    public var reachability: [ProviderReachability] {
        let known = state.withLock { $0.reachability }
        return providers.compactMap { known[$0.id] }
    }

    /// The external providers that cannot be reached now.
    public var unreachableProviders: Set<ProviderID> {
        state.withLock { Set($0.reachability.values.filter { $0.state == .unreachable }.map(\.provider)) }
    }

    /// Whether `id` is an external provider that cannot be reached now; routing skips it.
    public func isUnreachable(_ id: ProviderID) -> Bool {
        state.withLock { $0.reachability[id]?.state == .unreachable }
    }

    /// Every mode change from now on. The stream ends when the monitor is released; stop listening by
    /// cancelling the consuming task. A listener that falls behind loses the oldest unread changes.
    public func modeChanges() -> AsyncStream<ConnectivityChange> { broadcast.stream() }

    // MARK: Learning

    /// Folds the outcome of a real request to `id` in: any answer means reachable, a network failure
    /// counts toward unreachable, a failure that sends nothing (cancelled, no route, queue timeout) is
    /// ignored. Outcomes for local or unknown providers are ignored.
    public func record(_ id: ProviderID, outcome: HealthOutcome) {
        guard let observation = ReachabilityObservation(outcome) else { return }
        apply(observation, to: id)
    }

    /// Probes every external provider now, concurrently, and returns the mode afterwards.
    @discardableResult
    public func checkNow() async -> ConnectivityMode {
        await probe(providers)
        return mode
    }

    /// Probes the unreachable providers whose next probe is due (none is probed twice at once), and
    /// returns the mode afterwards. The client calls this before each request; it costs nothing when
    /// no probe is due.
    @discardableResult
    public func probeDue() async -> ConnectivityMode {
        let now = clock.now
        let due = state.withLock { state -> Set<ProviderID> in
            let due = state.reachability.values.filter { reachability in
                reachability.state == .unreachable && (reachability.nextProbeAt ?? now) <= now
                    && !state.probing.contains(reachability.provider)
            }.map(\.provider)
            state.probing.formUnion(due)
            return Set(due)
        }
        guard !due.isEmpty else { return mode }
        await probe(providers.filter { due.contains($0.id) })
        state.withLock { $0.probing.subtract(due) }
        return mode
    }

    /// Runs recovery probes until the task is cancelled or a graceful shutdown begins: sleeps until the
    /// next unreachable provider's probe is due (or until one becomes unreachable), then probes it.
    public func run() async throws {
        await cancelWhenGracefulShutdown { [self] in
            while !Task.isCancelled {
                await probeDue()
                await doorbell.wait(atMost: nextProbeDelay(), clock: clock)
            }
        }
    }

    // MARK: Internals

    /// The time until the earliest due probe; `nil` when no provider is unreachable.
    private func nextProbeDelay() -> Duration? {
        let now = clock.now
        let next = state.withLock { state in
            state.reachability.values.filter { $0.state == .unreachable }.compactMap(\.nextProbeAt).min()
        }
        return next.map { max(.zero, $0 - now) }
    }

    private func probe(_ targets: [any LanguageModelProvider]) async {
        await withTaskGroup(of: (ProviderID, ReachabilityObservation?).self) { group in
            for provider in targets {
                group.addTask { (provider.id, await self.probe(provider)) }
            }
            for await (id, observation) in group {
                if let observation { apply(observation, to: id) }
            }
        }
    }

    private func probe(_ provider: any LanguageModelProvider) async -> ReachabilityObservation? {
        let (logger, timeout) = (self.logger, policy.probeTimeout)
        let result = await clock.withTimeout(timeout) { () -> ReachabilityObservation in
            do {
                _ = try await provider.models(logger: logger)
                return .answered
            } catch let error as ProviderError {
                return ReachabilityObservation(.failure(error)) ?? .failed(error.description)
            } catch {
                return .failed("\(type(of: error))")
            }
        }
        guard !Task.isCancelled else { return nil }
        switch result {
        case .finished(let observation):
            logger.debug("connectivity probe", metadata: ["provider": "\(provider.id)", "result": "\(observation)"])
            return observation
        case .timedOut:
            return .unreachable("\(provider.id): no answer to a probe within \(timeout.formattedSeconds)")
        case .cancelled:
            return nil
        }
    }

    private func apply(_ observation: ReachabilityObservation, to id: ProviderID) {
        let now = clock.now
        let policy = self.policy
        let (change, becameUnreachable) = state.withLock {
            state -> (ConnectivityChange?, Bool) in
            guard var reachability = state.reachability[id] else { return (nil, false) }
            let wasUnreachable = reachability.state == .unreachable
            reachability.apply(observation, policy: policy, at: now)
            state.reachability[id] = reachability
            let (mode, reason) = Self.mode(of: state.reachability.values)
            guard mode != state.mode else { return (nil, !wasUnreachable && reachability.state == .unreachable) }
            let change = ConnectivityChange(from: state.mode, to: mode, reason: reason, at: now)
            state.mode = mode
            // Yielded under the lock so every listener sees the changes in order.
            broadcast.yield(change)
            return (change, !wasUnreachable && reachability.state == .unreachable)
        }
        if becameUnreachable { doorbell.ring() }
        guard let change else { return }
        gauge.record(change.to.metricValue)
        Counter(label: "switchboard.connectivity.changes", dimensions: [("monitor", name), ("to", change.to.rawValue)])
            .increment()
        logger.notice(
            "connectivity changed",
            metadata: ["from": "\(change.from)", "to": "\(change.to)", "reason": "\(change.reason)"])
    }

    /// The mode the providers' reachability adds up to, and why.
    private static func mode(
        of providers: Dictionary<ProviderID, ProviderReachability>.Values
    ) -> (ConnectivityMode, String) {
        let sorted = providers.sorted { $0.provider.rawValue < $1.provider.rawValue }
        let unreachable = sorted.filter { $0.state == .unreachable }
        let failing = sorted.filter { $0.state == .failing }
        func describe(_ list: [ProviderReachability]) -> String {
            list.map { reachability in
                reachability.lastError.map { "\(reachability.provider) (\($0))" } ?? reachability.provider.rawValue
            }.joined(separator: "; ")
        }
        if !sorted.isEmpty, unreachable.count == sorted.count {
            return (.offline, "no external provider can be reached: " + describe(unreachable))
        }
        if !unreachable.isEmpty || !failing.isEmpty {
            var parts: [String] = []
            if !unreachable.isEmpty { parts.append("unreachable: " + describe(unreachable)) }
            if !failing.isEmpty { parts.append("failing: " + describe(failing)) }
            return (.degraded, parts.joined(separator: "; "))
        }
        return (.online, "every external provider answers")
    }
}

extension ProviderReachability {
    /// Folds `observation`, made at `now`, in under `policy`.
    mutating func apply(_ observation: ReachabilityObservation, policy: ConnectivityPolicy, at now: Duration) {
        switch observation {
        case .answered:
            state = .reachable
            consecutiveNetworkFailures = 0
            lastError = nil
            nextProbeAt = nil
        case .failed(let message):
            state = .failing
            consecutiveNetworkFailures = 0
            lastError = message
            nextProbeAt = nil
        case .unreachable(let message):
            consecutiveNetworkFailures += 1
            lastError = message
            if consecutiveNetworkFailures >= policy.failuresBeforeUnreachable {
                state = .unreachable
                nextProbeAt = now + policy.probeBackoff(afterFailures: consecutiveNetworkFailures)
            } else {
                state = .failing
            }
        }
    }
}
