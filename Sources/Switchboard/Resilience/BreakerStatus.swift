/// A point-in-time view of one circuit breaker, for health reports and metrics.
public struct BreakerStatus: Hashable, Sendable {
    /// The breaker's state now; an open breaker whose cooldown has passed reports `halfOpen`.
    public var state: CircuitState
    /// Counted failures in a row since the last success.
    public var consecutiveFailures: Int
    /// The share (0…1) of failures among the outcomes in the window; 0 when the window is empty.
    public var recentFailureRate: Double
    /// When the breaker last opened (``PolicyClock/now`` time); `nil` unless open or half-open.
    public var openedAt: Duration?
    /// When an open breaker starts letting probes through; `nil` unless open.
    public var reopensProbingAt: Duration?

    /// A status; mostly built by ``CircuitBreakerRegistry``.
    public init(
        state: CircuitState,
        consecutiveFailures: Int,
        recentFailureRate: Double,
        openedAt: Duration?,
        reopensProbingAt: Duration?
    ) {
        self.state = state
        self.consecutiveFailures = consecutiveFailures
        self.recentFailureRate = recentFailureRate
        self.openedAt = openedAt
        self.reopensProbingAt = reopensProbingAt
    }
}
