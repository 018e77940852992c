import Switchboard
import SwitchboardTesting
import Testing

@Suite struct RetryPolicyTests {
    let policy = RetryPolicy()

    func error(
        _ kind: ProviderError.Kind, status: Int? = nil, retryAfter: Duration? = nil, shouldRetry: Bool? = nil
    )
        -> ProviderError
    {
        var error = ProviderError(kind: kind, provider: .openAI, status: status, message: "x", retryAfter: retryAfter)
        error.shouldRetry = shouldRetry
        return error
    }

    @Test func defaults() {
        #expect(policy.maxRetries == 2)
        #expect(policy.initialBackoff == .milliseconds(500))
        #expect(policy.maxBackoff == .seconds(8))
        #expect(policy.jitter == 0.25)
        #expect(policy.maxRetryAfter == .seconds(60))
    }

    static let retryable: [ProviderError.Kind] = [.rateLimited, .overloaded, .server, .network, .timeout]
    static let stopping: [ProviderError.Kind] = [
        .authentication, .permissionDenied, .invalidRequest, .notFound, .contextTooLong, .contentFiltered,
        .streamInterrupted, .cancelled, .invalidResponse, .notConfigured, .requestTooLarge, .noRoute,
    ]

    @Test(arguments: retryable) func retryableKindsRetryWithBackoff(kind: ProviderError.Kind) {
        #expect(policy.decision(afterAttempt: 0, error: error(kind), random: 0) == .retry(after: .milliseconds(500)))
        #expect(policy.decision(afterAttempt: 1, error: error(kind), random: 0) == .retry(after: .seconds(1)))
        #expect(
            policy.decision(afterAttempt: 2, error: error(kind), random: 0) == .fallBack(reason: "retries exhausted"))
    }

    @Test(arguments: stopping) func otherKindsStop(kind: ProviderError.Kind) {
        #expect(policy.decision(afterAttempt: 0, error: error(kind), random: 0) == .stop)
    }

    @Test func quotaFallsBack() {
        let decision = policy.decision(afterAttempt: 0, error: error(.quotaExceeded, status: 429), random: 0)
        guard case .fallBack = decision else {
            Issue.record("expected fallBack, got \(decision)")
            return
        }
        // Even with a wait hint: waiting does not bring the quota back.
        let hinted = error(.quotaExceeded, status: 429, retryAfter: .seconds(1))
        #expect(policy.decision(afterAttempt: 0, error: hinted, random: 0) == decision)
    }

    @Test func invalidRequestStops() {
        #expect(policy.decision(afterAttempt: 0, error: error(.invalidRequest, status: 400), random: 0.5) == .stop)
    }

    @Test func retryAfterIsHonouredExactlyWithoutJitter() {
        let hinted = error(.rateLimited, status: 429, retryAfter: .milliseconds(1234))
        #expect(policy.decision(afterAttempt: 0, error: hinted, random: 0.99) == .retry(after: .milliseconds(1234)))
        #expect(policy.decision(afterAttempt: 1, error: hinted, random: 0.5) == .retry(after: .milliseconds(1234)))
        let atCap = error(.overloaded, status: 529, retryAfter: .seconds(60))
        #expect(policy.decision(afterAttempt: 0, error: atCap, random: 0.5) == .retry(after: .seconds(60)))
    }

    @Test func zeroRetryAfterMeansBackoff() {
        let hinted = error(.rateLimited, status: 429, retryAfter: .zero)
        #expect(policy.decision(afterAttempt: 0, error: hinted, random: 0) == .retry(after: .milliseconds(500)))
    }

    @Test func retryAfterOverTheCapFallsBack() {
        let hinted = error(.rateLimited, status: 429, retryAfter: .seconds(90))
        #expect(
            policy.decision(afterAttempt: 0, error: hinted, random: 0)
                == .fallBack(reason: "provider asked to wait 90s, over the 60s cap"))
        let custom = RetryPolicy(maxRetryAfter: .seconds(120))
        #expect(custom.decision(afterAttempt: 0, error: hinted, random: 0) == .retry(after: .seconds(90)))
    }

    @Test func exhaustedRetriesFallBack() {
        let none = RetryPolicy(maxRetries: 0)
        #expect(
            none.decision(afterAttempt: 0, error: error(.server), random: 0) == .fallBack(reason: "retries exhausted"))
        let hinted = error(.rateLimited, retryAfter: .seconds(1))
        #expect(policy.decision(afterAttempt: 2, error: hinted, random: 0) == .fallBack(reason: "retries exhausted"))
    }

    @Test func backoffDoublesUpToTheCap() {
        let many = RetryPolicy(maxRetries: 100)
        let delays = (0..<7).map { many.decision(afterAttempt: $0, error: error(.server), random: 0) }
        #expect(
            delays == [
                .retry(after: .milliseconds(500)), .retry(after: .seconds(1)), .retry(after: .seconds(2)),
                .retry(after: .seconds(4)), .retry(after: .seconds(8)), .retry(after: .seconds(8)),
                .retry(after: .seconds(8)),
            ])
        #expect(many.decision(afterAttempt: 99, error: error(.server), random: 0) == .retry(after: .seconds(8)))
    }

    @Test func jitterShortensByUpToAQuarter() {
        #expect(
            policy.decision(afterAttempt: 1, error: error(.server), random: 0.5) == .retry(after: .milliseconds(875)))
        let none = RetryPolicy(jitter: 0)
        #expect(none.decision(afterAttempt: 1, error: error(.server), random: 0.9) == .retry(after: .seconds(1)))
    }

    @Test func jitterBoundsWithASeededSource() {
        let source = JitterSource.seeded(42)
        let many = RetryPolicy(maxRetries: 10)
        var seen: Set<Duration> = []
        for _ in 0..<500 {
            for attempt in 0..<6 {
                let random = source.next()
                #expect(random >= 0 && random < 1)
                guard
                    case .retry(let delay) = many.decision(
                        afterAttempt: attempt, error: error(.timeout), random: random)
                else {
                    Issue.record("expected a retry")
                    return
                }
                let full = min(Duration.seconds(8), .milliseconds(500) * (1 << attempt))
                #expect(delay <= full)
                #expect(delay > full * 0.75)
                seen.insert(delay)
            }
        }
        #expect(seen.count > 100)  // actually jittered
    }

    @Test func seededSourcesAreReproducible() {
        let first = JitterSource.seeded(7)
        let second = JitterSource.seeded(7)
        let other = JitterSource.seeded(8)
        let a = (0..<10).map { _ in first.next() }
        #expect(a == (0..<10).map { _ in second.next() })
        #expect(a != (0..<10).map { _ in other.next() })
        #expect(Set(a).count == 10)
    }

    @Test func customAndSystemSources() {
        let fixed = JitterSource { 0.25 }
        #expect(fixed.next() == 0.25)
        for _ in 0..<100 {
            let value = JitterSource.system.next()
            #expect(value >= 0 && value < 1)
        }
    }

    @Test func shouldRetryFalseStops() {
        let refused = error(.server, status: 500, shouldRetry: false)
        #expect(policy.decision(afterAttempt: 0, error: refused, random: 0) == .stop)
    }

    @Test func shouldRetryTrueOnABadRequestRetries() {
        let invited = error(.invalidRequest, status: 400, shouldRetry: true)
        #expect(policy.decision(afterAttempt: 0, error: invited, random: 0) == .retry(after: .milliseconds(500)))
        #expect(policy.decision(afterAttempt: 2, error: invited, random: 0) == .fallBack(reason: "retries exhausted"))
    }
}
