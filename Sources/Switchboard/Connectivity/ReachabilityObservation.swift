/// What one request or probe says about reaching an external provider.
enum ReachabilityObservation: Hashable, Sendable {
    /// The provider answered: the network works (the answer may still be an error about the request).
    case answered
    /// The provider was reached but failed (server error, overload, timeout, broken stream).
    case failed(String)
    /// The provider could not be reached at all.
    case unreachable(String)

    /// What a real request's outcome says; `nil` when nothing was sent or the caller gave up.
    init?(_ outcome: HealthOutcome) {
        switch outcome {
        case .success:
            self = .answered
        case .failure(let error):
            switch error.kind {
            case .network:
                self = .unreachable(error.description)
            case .cancelled, .noRoute, .notConfigured, .queueTimeout, .budgetExceeded, .offline:
                return nil
            case .overloaded where error.status == nil:
                return nil  // this process's rate-limit queue was full; the provider was not asked
            case .invalidRequest, .notFound, .contextTooLong, .contentFiltered, .requestTooLarge, .rateLimited,
                .quotaExceeded, .authentication, .permissionDenied:
                self = .answered
            default:
                self = .failed(error.description)
            }
        }
    }
}
