/// When a circuit breaker opens and how it recovers.
///
/// A closed breaker opens after ``consecutiveFailures`` counted failures in a row, or when at least
/// ``minimumRequests`` outcomes are in the sliding window of the last ``window`` outcomes and the share of
/// failures among them is ``failureRate`` or more. After ``cooldown`` it lets ``halfOpenProbes`` requests
/// through at once; the first probe success closes it, a probe failure opens it again.
public struct CircuitBreakerPolicy: Hashable, Sendable {
    /// Open after this many counted failures in a row.
    public var consecutiveFailures: Int
    /// Open when at least this share (0…1) of the outcomes in the window failed.
    public var failureRate: Double
    /// How many of the most recent outcomes the failure rate looks at.
    public var window: Int
    /// The failure-rate rule applies only once the window holds at least this many outcomes.
    public var minimumRequests: Int
    /// How long an open breaker refuses requests before it lets probes through.
    public var cooldown: Duration
    /// How many requests may be in flight at once while half-open.
    public var halfOpenProbes: Int

    /// A policy; the defaults open after 5 failures in a row or a 50 % failure rate over the last 20
    /// outcomes (once 10 are known), cool down for 30 s and then send one probe.
    public init(
        consecutiveFailures: Int = 5,
        failureRate: Double = 0.5,
        window: Int = 20,
        minimumRequests: Int = 10,
        cooldown: Duration = .seconds(30),
        halfOpenProbes: Int = 1
    ) {
        self.consecutiveFailures = consecutiveFailures
        self.failureRate = failureRate
        self.window = window
        self.minimumRequests = minimumRequests
        self.cooldown = cooldown
        self.halfOpenProbes = halfOpenProbes
    }
}
