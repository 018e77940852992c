import Logging
import Tracing

/// The resilience settings the executor applies per candidate.
public struct ResiliencePolicy: Sendable {
    public var retry: RetryPolicy
    public var breakers: CircuitBreakerRegistry
    public var jitter: JitterSource
    public var clock: PolicyClock
    /// One deadline for the whole request, across every attempt and wait.
    public var totalDeadline: Duration
    /// Fall back to the next candidate when a model's context is too small.
    public var fallsBackOnContextTooLong: Bool
    /// Fall back to the next candidate when a provider filters the content.
    public var fallsBackOnContentFilter: Bool

    public init(
        retry: RetryPolicy = .init(), breakers: CircuitBreakerRegistry = .init(), jitter: JitterSource = .system,
        clock: PolicyClock = .continuous, totalDeadline: Duration = .seconds(600),
        fallsBackOnContextTooLong: Bool = true,
        fallsBackOnContentFilter: Bool = false
    ) {
        self.retry = retry
        self.breakers = breakers
        self.jitter = jitter
        self.clock = clock
        self.totalDeadline = totalDeadline
        self.fallsBackOnContextTooLong = fallsBackOnContextTooLong
        self.fallsBackOnContentFilter = fallsBackOnContentFilter
    }
}

/// Walks a plan's candidates for one request: skips open circuits, retries with backoff, falls back,
/// and keeps the list of attempts. Its position survives between calls, so a stream that fails before
/// its first content can continue where the opening left off.
struct AttemptRunner: Sendable {
    let plan: RoutingPlan
    let request: ChatRequest
    let providers: [ProviderID: any LanguageModelProvider]
    let policy: ResiliencePolicy
    let latency: LatencyTracker
    let logger: Logger
    /// Told of every attempt's outcome (a health monitor learns from real traffic).
    let health: HealthMonitor?
    /// Told of every attempt's outcome too; its unreachable providers are skipped.
    let connectivity: ConnectivityMonitor?
    /// Gets a span per attempt, a child of the request's; `nil` (no tracer installed) makes none.
    let tracer: (any Tracer)?
    let deadline: Duration
    /// The plan's candidates, with configured alternatives inserted as failures call for them.
    private var candidates: [RoutingCandidate]
    private(set) var attempts: [RequestAttempt] = []
    private var candidateIndex = 0
    private var retriesUsed = 0
    private var lastError: ProviderError?
    /// When the current attempt started, for its latency.
    private(set) var attemptStarted: Duration = .zero
    /// Which key the attempt in progress used, when its provider draws from a key pool.
    private var currentKeyUse: KeyUse?

    init(
        plan: RoutingPlan, request: ChatRequest, providers: [ProviderID: any LanguageModelProvider],
        policy: ResiliencePolicy, latency: LatencyTracker, logger: Logger, health: HealthMonitor? = nil,
        connectivity: ConnectivityMonitor? = nil, tracer: any Tracer = NoOpTracer()
    ) {
        self.health = health
        self.connectivity = connectivity
        self.tracer = activeTracer(tracer)
        self.plan = plan
        self.request = request
        self.providers = providers
        self.policy = policy
        self.latency = latency
        self.logger = logger
        self.deadline = policy.clock.now + policy.totalDeadline
        self.candidates = plan.candidates
    }

    var currentCandidate: RoutingCandidate? {
        candidateIndex < candidates.count ? candidates[candidateIndex] : nil
    }

    private func breakerKey(_ candidate: RoutingCandidate) -> BreakerKey {
        let model = candidate.reference.model ?? providers[candidate.reference.provider]?.defaultModel
        return BreakerKey(provider: candidate.reference.provider, model: model)
    }

    /// Runs `operation` on the candidates until one succeeds, and returns its result.
    mutating func run<T: Sendable>(
        _ operation: (any LanguageModelProvider, ChatRequest) async throws -> T
    ) async throws -> T {
        while let candidate = currentCandidate {
            guard let provider = providers[candidate.reference.provider] else {
                moveToNextCandidate()
                continue
            }
            let key = breakerKey(candidate)
            if let connectivity, connectivity.isUnreachable(key.provider) {
                appendAttempt(
                    RequestAttempt(
                        provider: key.provider, model: key.model, error: nil, latency: .zero,
                        note: "unreachable (offline)", skipped: true))
                lastError =
                    lastError
                    ?? ProviderError(
                        kind: .network, provider: key.provider,
                        message: "cannot be reached; skipped until a probe reaches it again")
                moveToNextCandidate()
                continue
            }
            guard policy.breakers.permit(key) else {
                appendAttempt(
                    RequestAttempt(
                        provider: key.provider, model: key.model, error: nil, latency: .zero,
                        note: "circuit open", skipped: true))
                moveToNextCandidate()
                continue
            }
            var routed = request
            routed.provider = candidate.reference.provider
            routed.model = candidate.reference.model ?? request.model
            attemptStarted = policy.clock.now
            let span = tracer.map { startSpan($0, for: candidate, key: key) }
            do {
                let remaining = deadline - attemptStarted
                guard remaining > .zero else { throw deadlinePassed(provider: key.provider) }
                let keyUse = KeyUse()
                currentKeyUse = keyUse
                func attempt() async throws -> T {
                    try await AttemptDeadline.$remaining.withValue(remaining) {
                        try await KeyUse.$current.withValue(keyUse) { try await operation(provider, routed) }
                    }
                }
                let result =
                    if let span {
                        try await ServiceContext.$current.withValue(span.context) { try await attempt() }
                    } else {
                        try await attempt()
                    }
                span?.end()
                return result
            } catch {
                if let span {
                    span.attributes["error.type"] = ObservationStage.outcome(of: error)
                    span.recordError(error)
                    span.setStatus(SpanStatus(code: .error))
                    span.end()
                }
                try await handle(error)
            }
        }
        throw finalError()
    }

    private func startSpan(_ tracer: any Tracer, for candidate: RoutingCandidate, key: BreakerKey) -> any Span {
        let span = tracer.startSpan(
            "attempt \(candidate.reference)", context: ServiceContext.current ?? .topLevel, ofKind: .internal)
        span.attributes["gen_ai.system"] = key.provider.rawValue
        if let model = key.model { span.attributes["gen_ai.request.model"] = model }
        span.attributes["switchboard.attempt"] = attempts.count + 1
        return span
    }

    /// The candidate in use succeeded; records it and returns the attempts so far.
    mutating func succeeded(timeToFirstToken: Duration? = nil) -> [RequestAttempt] {
        guard let candidate = currentCandidate else { return attempts }
        let key = breakerKey(candidate)
        let elapsed = policy.clock.now - attemptStarted
        policy.breakers.record(key, success: true)
        latency.record(
            ModelReference(provider: key.provider, model: key.model), timeToFirstToken: timeToFirstToken,
            total: elapsed)
        appendAttempt(
            RequestAttempt(
                provider: key.provider, model: key.model, error: nil, latency: elapsed,
                keyFingerprint: currentKeyUse?.fingerprint))
        health?.record(key.provider, outcome: .success(latency: elapsed))
        connectivity?.record(key.provider, outcome: .success(latency: elapsed))
        return attempts
    }

    /// Records a failure of the candidate in use without deciding anything (a stream that broke after
    /// its content began cannot be retried).
    mutating func recordFailure(_ failure: any Error) {
        guard let candidate = currentCandidate else { return }
        let key = breakerKey(candidate)
        let error = failure as? ProviderError
        policy.breakers.record(key, success: false, countsAsFailure: error?.isRetryable ?? false)
        appendAttempt(
            RequestAttempt(
                provider: key.provider, model: key.model, error: error?.kind ?? .streamInterrupted,
                latency: policy.clock.now - attemptStarted, note: "after content was delivered",
                keyFingerprint: currentKeyUse?.fingerprint))
    }

    /// The candidate in use failed: records it, then waits and stays, moves on, or throws the final error.
    mutating func handle(_ failure: any Error) async throws {
        guard let candidate = currentCandidate else { throw finalError() }
        let key = breakerKey(candidate)
        guard let error = failure as? ProviderError else {
            policy.breakers.record(key, success: false, countsAsFailure: false)
            throw failure
        }
        let elapsed = policy.clock.now - attemptStarted
        policy.breakers.record(key, success: false, countsAsFailure: error.isRetryable)
        health?.record(key.provider, outcome: .failure(error))
        connectivity?.record(key.provider, outcome: .failure(error))
        appendAttempt(
            RequestAttempt(
                provider: key.provider, model: key.model, error: error.kind, latency: elapsed,
                keyFingerprint: currentKeyUse?.fingerprint))
        lastError = error
        if error.kind == .cancelled { throw withAttempts(error) }
        if let connectivity, connectivity.isUnreachable(key.provider) {
            attempts[attempts.count - 1].note = "unreachable; moving on"
            moveToNextCandidate()
            return
        }
        switch policy.retry.decision(afterAttempt: retriesUsed, error: error, random: policy.jitter.next()) {
        case .retry(let delay):
            guard policy.clock.now + delay <= deadline else {
                attempts[attempts.count - 1].note = "no time left to wait \(delay.formattedSeconds); falling back"
                moveToNextCandidate()
                return
            }
            attempts[attempts.count - 1].note = "retrying after \(delay.formattedSeconds)"
            try await policy.clock.sleep(for: delay)
            retriesUsed += 1
        case .fallBack(let reason):
            attempts[attempts.count - 1].note = reason
            moveToNextCandidate()
        case .stop:
            if insertAlternatives(after: candidate, for: error.kind) {
                moveToNextCandidate()
            } else if error.kind == .notFound || error.kind == .accessDenied
                || (error.kind == .contextTooLong && policy.fallsBackOnContextTooLong)
                || (error.kind == .contentFiltered && policy.fallsBackOnContentFilter)
            {
                attempts[attempts.count - 1].note = "falling back: \(error.kind)"
                moveToNextCandidate()
            } else {
                throw withAttempts(error)
            }
        }
        if policy.clock.now >= deadline { throw withAttempts(deadlinePassed(provider: key.provider)) }
    }

    private func deadlinePassed(provider: ProviderID) -> ProviderError {
        ProviderError(
            kind: .timeout, provider: provider,
            message: "the request's deadline of \(policy.totalDeadline.formattedSeconds) passed")
    }

    /// Puts the candidate's configured alternatives for a context-window or content-filter failure
    /// next in line (each tried once per request); returns whether there were any.
    private mutating func insertAlternatives(after candidate: RoutingCandidate, for kind: ProviderError.Kind) -> Bool {
        let configured =
            kind == .contextTooLong
            ? candidate.contextFallbacks : kind == .contentFiltered ? candidate.contentFilterFallbacks : []
        let tried = Set(candidates[...candidateIndex].map(\.reference))
        let fresh = configured.filter { !tried.contains($0.reference) }
        guard !fresh.isEmpty else { return false }
        let inserted = Set(fresh.map(\.reference))
        let rest = candidates[(candidateIndex + 1)...].filter { !inserted.contains($0.reference) }
        candidates = Array(candidates[...candidateIndex]) + fresh + rest
        attempts[attempts.count - 1].note =
            "\(kind); trying the configured alternative \(fresh.map(\.reference.description).joined(separator: ", "))"
        return true
    }

    /// Keeps the attempt for the response and counts it in the metrics with its breaker's state.
    private mutating func appendAttempt(_ attempt: RequestAttempt) {
        attempts.append(attempt)
        AttemptMetrics.record(
            attempt, circuit: policy.breakers.state(of: BreakerKey(provider: attempt.provider, model: attempt.model)))
    }

    private mutating func moveToNextCandidate() {
        candidateIndex += 1
        retriesUsed = 0
    }

    private func withAttempts(_ error: ProviderError) -> ProviderError {
        var error = error
        error.attempts = attempts
        return error
    }

    private func finalError() -> ProviderError {
        if let lastError { return withAttempts(lastError) }
        return withAttempts(
            ProviderError(
                kind: .noRoute,
                message: "no candidate could be tried: "
                    + attempts.map(\.description).joined(separator: "; ")))
    }
}
