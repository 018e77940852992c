/// What a ``HealthMonitor`` last concluded about a provider.
public enum ProviderHealthState: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// Not checked yet.
    case unknown
    /// Answered the last check in time.
    case up
    /// Answers slowly, or failed fewer times in a row than ``HealthPolicy/failuresBeforeDown``.
    case degraded
    /// Failed ``HealthPolicy/failuresBeforeDown`` times in a row, or failed in a way waiting will not fix.
    case down

    public var description: String { rawValue }
}
