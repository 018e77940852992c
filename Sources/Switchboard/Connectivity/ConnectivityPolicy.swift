/// When a ``ConnectivityMonitor`` counts an external provider unreachable, and how it probes for the
/// way back.
public struct ConnectivityPolicy: Hashable, Sendable {
    /// Network failures in a row (connection refused, host not found, no route, …) before a provider
    /// counts as unreachable. One failure never makes Switchboard go offline.
    public var failuresBeforeUnreachable: Int
    /// How long one recovery probe may take; a probe without an answer in time counts as a network failure.
    public var probeTimeout: Duration
    /// The wait before the first recovery probe of an unreachable provider; it doubles after each
    /// failed probe.
    public var initialProbeBackoff: Duration
    /// The longest wait between two recovery probes.
    public var maxProbeBackoff: Duration

    /// - Parameters:
    ///   - failuresBeforeUnreachable: network failures in a row before unreachable; default 2, at least 1.
    ///   - probeTimeout: deadline of one probe; default 5 s.
    ///   - initialProbeBackoff: first wait before probing; default 1 s.
    ///   - maxProbeBackoff: cap of the doubling wait; default 60 s.
    public init(
        failuresBeforeUnreachable: Int = 2,
        probeTimeout: Duration = .seconds(5),
        initialProbeBackoff: Duration = .seconds(1),
        maxProbeBackoff: Duration = .seconds(60)
    ) {
        self.failuresBeforeUnreachable = max(1, failuresBeforeUnreachable)
        self.probeTimeout = probeTimeout
        self.initialProbeBackoff = max(.zero, initialProbeBackoff)
        self.maxProbeBackoff = max(self.initialProbeBackoff, maxProbeBackoff)
    }

    /// The wait before the next probe once a provider has failed `failures` times in a row:
    /// ``initialProbeBackoff`` at the threshold, doubling with each further failure, capped.
    func probeBackoff(afterFailures failures: Int) -> Duration {
        let doublings = min(max(0, failures - failuresBeforeUnreachable), 30)
        var backoff = initialProbeBackoff
        for _ in 0..<doublings {
            backoff *= 2
            if backoff >= maxProbeBackoff { return maxProbeBackoff }
        }
        return min(backoff, maxProbeBackoff)
    }
}
