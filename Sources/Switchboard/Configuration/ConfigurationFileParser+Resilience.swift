import Foundation
import Yams

extension ConfigurationFileParser {
    /// The `resilience:` section: retries, the per-request deadline and circuit breakers.
    ///
    /// ```yaml
    /// resilience:
    ///   max_retries: 2
    ///   initial_backoff: 500ms
    ///   max_backoff: 8s
    ///   max_retry_after: 60s
    ///   deadline: 2m
    ///   circuit_breaker: { consecutive_failures: 5, failure_rate: 0.5, window: 20, minimum_requests: 10,
    ///                      cooldown: 30s, half_open_probes: 1 }
    /// ```
    func resilience(_ node: Node) throws -> ResilienceConfiguration {
        let settings = try mapping(
            node, path: "resilience",
            allowed: [
                "max_retries", "initial_backoff", "max_backoff", "max_retry_after", "deadline", "circuit_breaker",
            ])
        var resilience = ResilienceConfiguration()
        if let value = settings["max_retries"] {
            resilience.retry.maxRetries = try positiveInt(value, path: "resilience.max_retries", allowZero: true)
        }
        if let value = settings["initial_backoff"] {
            resilience.retry.initialBackoff = try duration(value, path: "resilience.initial_backoff")
        }
        if let value = settings["max_backoff"] {
            resilience.retry.maxBackoff = try duration(value, path: "resilience.max_backoff")
        }
        if let value = settings["max_retry_after"] {
            resilience.retry.maxRetryAfter = try duration(value, path: "resilience.max_retry_after")
        }
        if let value = settings["deadline"] {
            resilience.totalDeadline = try duration(value, path: "resilience.deadline")
        }
        if let node = settings["circuit_breaker"] {
            resilience.circuitBreaker = try circuitBreaker(node, path: "resilience.circuit_breaker")
        }
        return resilience
    }

    private func circuitBreaker(_ node: Node, path: String) throws -> CircuitBreakerPolicy {
        let settings = try mapping(
            node, path: path,
            allowed: [
                "consecutive_failures", "failure_rate", "window", "minimum_requests", "cooldown", "half_open_probes",
            ])
        var policy = CircuitBreakerPolicy()
        if let value = settings["consecutive_failures"] {
            policy.consecutiveFailures = try positiveInt(value, path: "\(path).consecutive_failures")
        }
        if let value = settings["failure_rate"] {
            let text = try string(value, path: "\(path).failure_rate")
            guard let rate = Double(text), rate > 0, rate <= 1 else {
                throw ConfigurationError(
                    kind: .invalidValue, keyPath: "\(path).failure_rate", file: file, line: value.line,
                    message: "'\(text)' is not a share between 0 (exclusive) and 1")
            }
            policy.failureRate = rate
        }
        if let value = settings["window"] { policy.window = try positiveInt(value, path: "\(path).window") }
        if let value = settings["minimum_requests"] {
            policy.minimumRequests = try positiveInt(value, path: "\(path).minimum_requests")
        }
        if let value = settings["cooldown"] { policy.cooldown = try duration(value, path: "\(path).cooldown") }
        if let value = settings["half_open_probes"] {
            policy.halfOpenProbes = try positiveInt(value, path: "\(path).half_open_probes")
        }
        return policy
    }
}
