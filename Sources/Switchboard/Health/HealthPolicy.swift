/// How a ``HealthMonitor`` probes providers and turns the answers into a ``ProviderHealthState``.
public struct HealthPolicy: Hashable, Sendable {
    /// Time between two rounds of ``HealthMonitor/run()``.
    public var interval: Duration
    /// How long one probe may take before it counts as a failure.
    public var probeTimeout: Duration
    /// Consecutive failures (failed probes or counted request failures) that make a provider `down`;
    /// fewer make it `degraded`. A probe that fails for a reason waiting will not fix (a rejected key,
    /// a local server that is not running) and a network failure of a real request make it `down` at once.
    public var failuresBeforeDown: Int
    /// A successful probe slower than this makes the provider `degraded`.
    public var degradedLatency: Duration
    /// The weight of the newest latency in the moving average, between 0 and 1.
    public var latencySmoothing: Double

    /// - Parameters:
    ///   - interval: time between rounds; default 30 s.
    ///   - probeTimeout: deadline of one probe; default 5 s.
    ///   - failuresBeforeDown: consecutive failures before `down`; default 2, at least 1.
    ///   - degradedLatency: a slower successful probe means `degraded`; default 2 s.
    ///   - latencySmoothing: weight of the newest sample in the moving average; default 0.3.
    public init(
        interval: Duration = .seconds(30),
        probeTimeout: Duration = .seconds(5),
        failuresBeforeDown: Int = 2,
        degradedLatency: Duration = .seconds(2),
        latencySmoothing: Double = 0.3
    ) {
        self.interval = interval
        self.probeTimeout = probeTimeout
        self.failuresBeforeDown = max(1, failuresBeforeDown)
        self.degradedLatency = degradedLatency
        self.latencySmoothing = min(1, max(0, latencySmoothing))
    }
}
