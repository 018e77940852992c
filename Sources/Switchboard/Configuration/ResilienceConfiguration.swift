/// Retries, circuit breakers and the per-request deadline, as configured (`resilience:` in the YAML).
public struct ResilienceConfiguration: Hashable, Sendable {
    public var retry: RetryPolicy
    public var circuitBreaker: CircuitBreakerPolicy
    /// One deadline per request across every attempt and wait; `nil` means the transport's request timeout.
    public var totalDeadline: Duration?

    public init(
        retry: RetryPolicy = .init(), circuitBreaker: CircuitBreakerPolicy = .init(), totalDeadline: Duration? = nil
    ) {
        self.retry = retry
        self.circuitBreaker = circuitBreaker
        self.totalDeadline = totalDeadline
    }
}
