/// The last known health of one provider, as a ``HealthMonitor`` keeps it.
public struct ProviderHealthStatus: Hashable, Sendable {
    /// The provider this is about.
    public var provider: ProviderID
    /// Whether the provider runs on this machine.
    public var isLocal: Bool
    /// The conclusion of the checks so far.
    public var state: ProviderHealthState
    /// The latency of the last successful probe or request.
    public var lastLatency: Duration?
    /// An exponential moving average of successful latencies (see ``HealthPolicy/latencySmoothing``).
    public var averageLatency: Duration?
    /// Failures since the last success.
    public var consecutiveFailures: Int
    /// Why the last check failed or was slow; safe to print (never holds a key). `nil` after a clean success.
    public var lastError: String?
    /// When the last probe or recorded outcome happened, as ``PolicyClock/now`` of the monitor's clock;
    /// `nil` before the first.
    public var checkedAt: Duration?
    /// Circuit-breaker states for the provider and its models; empty until a breaker reports here.
    public var circuits: [CircuitSummary]

    /// A status for a provider that has not been checked.
    public init(
        provider: ProviderID,
        isLocal: Bool,
        state: ProviderHealthState = .unknown,
        lastLatency: Duration? = nil,
        averageLatency: Duration? = nil,
        consecutiveFailures: Int = 0,
        lastError: String? = nil,
        checkedAt: Duration? = nil,
        circuits: [CircuitSummary] = []
    ) {
        self.provider = provider
        self.isLocal = isLocal
        self.state = state
        self.lastLatency = lastLatency
        self.averageLatency = averageLatency
        self.consecutiveFailures = consecutiveFailures
        self.lastError = lastError
        self.checkedAt = checkedAt
        self.circuits = circuits
    }
}

/// One circuit breaker's state, as shown next to a provider's health.
///
/// The hook for the circuit-breaker change: a breaker per provider (``model`` `nil`) or per model fills
/// ``ProviderHealthStatus/circuits`` and the CIRCUIT column of `switchboard status`.
public struct CircuitSummary: Hashable, Sendable {
    /// The model the breaker guards; `nil` for the whole provider.
    public var model: String?
    /// The breaker's state as it names it (`closed`, `open`, `half-open`).
    public var state: String

    public init(model: String? = nil, state: String) {
        self.model = model
        self.state = state
    }
}
