/// One thing a ``HealthMonitor`` learned about a provider, from a probe or from a real request.
enum HealthObservation: Sendable, Hashable {
    /// The provider answered in `latency` (when known).
    case success(latency: Duration?)
    /// The provider failed; a `hard` failure makes it `down` at once.
    case failure(message: String, hard: Bool)

    /// What a probe's answer means.
    init(probe health: ProviderHealth, measured: Duration) {
        switch health.status {
        case .healthy:
            self = .success(latency: health.latency ?? measured)
        case .degraded:
            self = .failure(message: health.detail ?? "the provider reported a temporary failure", hard: false)
        case .unavailable:
            self = .failure(message: health.detail ?? "the provider is unavailable", hard: true)
        }
    }

    /// What a real request's outcome means; `nil` when it says nothing about the provider's health.
    init?(_ outcome: HealthOutcome) {
        switch outcome {
        case .success(let latency):
            self = .success(latency: latency)
        case .failure(let error):
            switch error.kind {
            case .network:
                self = .failure(message: error.description, hard: true)
            case .invalidRequest, .notFound, .contextTooLong, .contentFiltered, .requestTooLarge, .permissionDenied,
                .rateLimited, .cancelled, .notConfigured, .noRoute, .queueTimeout:
                return nil
            case .overloaded where error.status == nil:
                return nil  // this process's rate-limit queue was full; the provider was not asked
            default:
                self = .failure(message: error.description, hard: false)
            }
        }
    }
}

extension ProviderHealthStatus {
    /// Folds `observation`, made at `now`, into this status under `policy`.
    mutating func apply(_ observation: HealthObservation, policy: HealthPolicy, at now: Duration) {
        checkedAt = now
        switch observation {
        case .success(let latency):
            consecutiveFailures = 0
            if let latency {
                lastLatency = latency
                averageLatency =
                    averageLatency.map { average in
                        .seconds(average.seconds + policy.latencySmoothing * (latency.seconds - average.seconds))
                    } ?? latency
            }
            if let latency, latency > policy.degradedLatency {
                state = .degraded
                lastError =
                    "slow: answered in \(latency.formattedSeconds) (over \(policy.degradedLatency.formattedSeconds))"
            } else {
                state = .up
                lastError = nil
            }
        case .failure(let message, let hard):
            consecutiveFailures += 1
            lastError = message
            state = hard || consecutiveFailures >= policy.failuresBeforeDown ? .down : .degraded
        }
    }
}
