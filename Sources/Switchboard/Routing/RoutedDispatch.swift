import Logging
import Tracing

/// The end of the pipeline when routing is on: plans the request, then runs the plan with retries,
/// breakers and fallback.
public struct RoutedDispatch: Sendable {
    public let router: TaskRouter
    public let policy: ResiliencePolicy
    /// Learns from every attempt; routing skips providers it reports down (give the router its `isDown`).
    public let health: HealthMonitor?
    /// Learns from every attempt too; candidates it reports unreachable are skipped without a request.
    public let connectivity: ConnectivityMonitor?
    /// Gets a span per attempt.
    public let tracer: any Tracer
    let providers: [ProviderID: any LanguageModelProvider]

    public init(
        router: TaskRouter, providers: [any LanguageModelProvider], policy: ResiliencePolicy,
        health: HealthMonitor? = nil, connectivity: ConnectivityMonitor? = nil,
        tracer: any Tracer = InstrumentationSystem.tracer
    ) {
        self.connectivity = connectivity
        self.tracer = tracer
        self.router = router
        self.policy = policy
        self.health = health
        self.providers = Dictionary(providers.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Sends `request` to the first candidate that answers.
    public func complete(_ request: ChatRequest, context: RequestContext) async throws -> ChatResponse {
        let plan = try router.plan(for: request)
        context.logger.debug("routing plan", metadata: ["plan": "\(plan.candidates.map(\.description))"])
        var runner = AttemptRunner(
            plan: plan, request: request, providers: providers, policy: policy, latency: router.latency,
            logger: context.logger, health: health, connectivity: connectivity, tracer: tracer)
        let response = try await runner.run { provider, routed in
            try await provider.complete(routed, logger: context.logger)
        }
        return response.with(attempts: runner.succeeded(timeToFirstToken: response.timeToFirstToken))
    }

    /// Opens a stream on the first candidate that answers. Until the first content event has been
    /// delivered, a failure moves on to the next candidate; after it, the stream ends with
    /// `streamInterrupted` carrying the partial usage.
    public func stream(_ request: ChatRequest, context: RequestContext) async throws -> ChatEventStream {
        let plan = try router.plan(for: request)
        var runner = AttemptRunner(
            plan: plan, request: request, providers: providers, policy: policy, latency: router.latency,
            logger: context.logger, health: health, connectivity: connectivity, tracer: tracer)
        let first = try await runner.run { provider, routed in
            try await provider.stream(routed, logger: context.logger)
        }
        return ChatEventStream(FallbackEventSequence(runner: runner, first: first, logger: context.logger))
    }
}

/// Events of the stream that is answering, with earlier failed attempts replaced by later ones.
private struct FallbackEventSequence: AsyncSequence, Sendable {
    typealias Element = ChatEvent

    let runner: AttemptRunner
    let first: ChatEventStream
    let logger: Logger

    func makeAsyncIterator() -> Iterator {
        Iterator(runner: runner, events: first.makeAsyncIterator(), logger: logger)
    }

    struct Iterator: AsyncIteratorProtocol {
        var runner: AttemptRunner
        var events: ChatEventStream.Iterator
        let logger: Logger
        /// Events held back until the first content arrives, so a fallback leaves no trace.
        var held: [ChatEvent] = []
        var released: ArraySlice<ChatEvent> = []
        var deliveredContent = false
        var lastUsage: Usage?
        var timeToFirstToken: Duration?
        var finished = false

        mutating func next() async throws -> ChatEvent? {
            while true {
                if let event = released.popFirst() { return event }
                if finished { return nil }
                let event: ChatEvent?
                do {
                    event = try await events.next()
                } catch {
                    if held.contains(where: \.isFinish) {
                        // The answer was complete; a failure while closing does not undo it.
                        finished = true
                        released = held[...]
                        held = []
                        continue
                    }
                    try await recover(from: error)
                    continue
                }
                guard let event else {
                    finished = true
                    released = held[...]
                    held = []
                    continue
                }
                switch event {
                case .usage(let usage):
                    lastUsage = usage
                    if deliveredContent { return event }
                    held.append(event)
                case .textDelta, .toolCallDelta:
                    if !deliveredContent {
                        deliveredContent = true
                        timeToFirstToken = runner.policy.clock.now - runner.attemptStarted
                        let earlier = runner.attempts
                        released =
                            (held + [event]).map { held in
                                guard case .started(var start) = held else { return held }
                                start.earlierAttempts = earlier
                                return .started(start)
                            }[...]
                        held = []
                        continue
                    }
                    return event
                case .finish(var finish):
                    // Delivered once the provider's stream has ended too, so whatever it holds until
                    // its end (a rate-limit slot, a connection) is released before the caller sees it.
                    finish.attempts = runner.succeeded(timeToFirstToken: timeToFirstToken)
                    held.append(.finish(finish))
                case .started:
                    if deliveredContent { return event }
                    held.append(event)
                }
            }
        }

        /// Before any content: fall back to the next candidate. After: end with `streamInterrupted`.
        private mutating func recover(from error: any Error) async throws {
            if deliveredContent {
                runner.recordFailure(error)
                finished = true
                var interrupted =
                    (error as? ProviderError)
                    ?? ProviderError(kind: .streamInterrupted, message: "the stream failed: \(error)")
                if interrupted.kind != .cancelled { interrupted.kind = .streamInterrupted }
                interrupted.partialUsage = lastUsage
                interrupted.attempts = runner.attempts
                throw interrupted
            }
            held = []
            try await runner.handle(error)
            let logger = self.logger
            logger.debug("stream failed before its first content; trying the next candidate")
            let stream = try await runner.run { provider, routed in
                try await provider.stream(routed, logger: logger)
            }
            events = stream.makeAsyncIterator()
        }
    }
}

extension ChatEvent {
    fileprivate var isFinish: Bool {
        if case .finish = self { return true }
        return false
    }
}
