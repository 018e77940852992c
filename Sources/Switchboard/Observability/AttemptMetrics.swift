import Metrics

/// Metrics of each attempt a request makes and of the circuit breaker it passed:
/// `switchboard.attempts` (counter, by `outcome`), `switchboard.attempt.duration` (timer, by
/// `outcome`) and `switchboard.circuit.state` (gauge: 0 closed, 1 half-open, 2 open), each with
/// `gen_ai.system` and `gen_ai.request.model`.
enum AttemptMetrics {
    static func record(_ attempt: RequestAttempt, circuit: CircuitState) {
        let dimensions = [
            ("gen_ai.system", attempt.provider.rawValue), ("gen_ai.request.model", attempt.model ?? "default"),
        ]
        let outcome = [("outcome", attempt.outcome)]
        Counter(label: "switchboard.attempts", dimensions: dimensions + outcome).increment()
        if !attempt.skipped {
            Timer(label: "switchboard.attempt.duration", dimensions: dimensions + outcome)
                .recordNanoseconds(attempt.latency.nanoseconds)
        }
        Gauge(label: "switchboard.circuit.state", dimensions: dimensions).record(circuit.metricValue)
    }
}

extension CircuitState {
    /// 0 closed, 1 half-open, 2 open.
    var metricValue: Int {
        switch self {
        case .closed: 0
        case .halfOpen: 1
        case .open: 2
        }
    }
}
