import Foundation
import Logging
import Switchboard
import SwitchboardTesting
import Testing

/// The executor over real HTTP on loopback, in virtual time (ManualClock): retries, fallback,
/// breakers, privacy and streams.
@Suite struct RoutedDispatchTests {
    struct Harness {
        let simulator: ProviderSimulator
        let clock: ManualClock
        let dispatch: RoutedDispatch
        let breakers: CircuitBreakerRegistry
        let context = RequestContext(requestID: "test", logger: Logger(label: "test"))
    }

    /// Three providers on one simulator: openai and anthropic external, ollama local.
    static func withHarness(
        retry: RetryPolicy = RetryPolicy(maxRetries: 0),
        breaker: CircuitBreakerPolicy = .init(),
        routing: RoutingConfiguration = .init(),
        defaultProvider: ProviderID? = nil,
        _ body: (Harness) async throws -> Void
    ) async throws {
        try await ProviderSimulator.withSimulator { simulator in
            let transport = HTTPTransport()
            do {
                let clock = ManualClock()
                let policyClock = PolicyClock(clock)
                let providers: [any LanguageModelProvider] = [
                    OpenAIProvider(
                        configuration: try OpenAIConfiguration(
                            apiKey: APIKey("sk-route-test-000000"), baseURL: simulator.baseURL(for: .openAI)),
                        transport: transport),
                    AnthropicProvider(
                        configuration: try AnthropicConfiguration(
                            apiKey: APIKey("sk-ant-route-000000"), baseURL: simulator.baseURL(for: .anthropic)),
                        transport: transport),
                    OllamaProvider(
                        configuration: try OllamaConfiguration(host: simulator.baseURL(for: .ollama)),
                        transport: transport),
                ]
                let router = TaskRouter(
                    providers: providers.map {
                        TaskRouter.Provider(
                            id: $0.id, locality: $0.isLocal ? .local : .external, defaultModel: $0.defaultModel)
                    }, configuration: routing, defaultProvider: defaultProvider)
                let breakers = CircuitBreakerRegistry(policy: breaker, clock: policyClock)
                let policy = ResiliencePolicy(
                    retry: retry, breakers: breakers, jitter: .seeded(7), clock: policyClock)
                try await body(
                    Harness(
                        simulator: simulator, clock: clock,
                        dispatch: RoutedDispatch(router: router, providers: providers, policy: policy),
                        breakers: breakers))
            } catch {
                try? await transport.shutdown()
                throw error
            }
            try await transport.shutdown()
        }
    }

    static func complex(_ text: String = "hard question") -> ChatRequest {
        ChatRequest(messages: [.user(text)], metadata: RequestMetadata(taskType: .complexReasoning))
    }

    @Test func fallsBackOnOverloadAndListsEveryAttempt() async throws {
        try await Self.withHarness { harness in
            harness.simulator.enqueue(.failure(status: 503), for: .openAI)
            harness.simulator.enqueue(.text("from anthropic"), for: .anthropic)
            let response = try await harness.dispatch.complete(Self.complex(), context: harness.context)
            #expect(response.text == "from anthropic")
            #expect(response.attempts.map(\.provider) == [.openAI, .anthropic])
            #expect(response.attempts.map(\.outcome) == ["overloaded", "success"])
        }
    }

    @Test func invalidRequestsDoNotFallBack() async throws {
        try await Self.withHarness { harness in
            harness.simulator.enqueue(.failure(status: 400), for: .openAI)
            let error = await #expect(throws: ProviderError.self) {
                _ = try await harness.dispatch.complete(Self.complex(), context: harness.context)
            }
            #expect(error?.kind == .invalidRequest)
            #expect(error?.attempts.count == 1)
            #expect(harness.simulator.requests(for: .anthropic).isEmpty)
        }
    }

    @Test func retryAfterIsHonouredExactlyInVirtualTime() async throws {
        try await Self.withHarness(retry: RetryPolicy(maxRetries: 2)) { harness in
            harness.simulator.enqueue(.failure(status: 429, retryAfter: .seconds(3)), for: .openAI)
            harness.simulator.enqueue(.text("after the wait"), for: .openAI)
            let task = Task { try await harness.dispatch.complete(Self.complex(), context: harness.context) }
            await harness.clock.waitForSleepers(1)
            #expect(harness.clock.sleeperDeadlines.map(\.offset) == [.seconds(3)])
            #expect(harness.simulator.requests(for: .openAI).count == 1)
            harness.clock.advance(by: .seconds(3))
            let response = try await task.value
            #expect(response.text == "after the wait")
            #expect(response.attempts.map(\.outcome) == ["rateLimited", "success"])
            #expect(response.attempts.allSatisfy { $0.provider == .openAI })
        }
    }

    @Test func aWaitOverTheCapBecomesAFallback() async throws {
        try await Self.withHarness(retry: RetryPolicy(maxRetries: 2, maxRetryAfter: .seconds(60))) { harness in
            harness.simulator.enqueue(.failure(status: 429, retryAfter: .seconds(90)), for: .openAI)
            harness.simulator.enqueue(.text("anthropic instead"), for: .anthropic)
            let response = try await harness.dispatch.complete(Self.complex(), context: harness.context)
            #expect(response.text == "anthropic instead")
            #expect(harness.clock.now.offset == .zero, "no virtual time passed: nothing waited")
        }
    }

    @Test func sensitiveRequestsNeverReachAnExternalProvider() async throws {
        try await Self.withHarness(retry: RetryPolicy(maxRetries: 0)) { harness in
            harness.simulator.enqueue(.failure(status: 503), for: .ollama)
            var request = Self.complex("my card is 4242 4242 4242 4242")
            request.metadata.sensitivity = .sensitive
            let error = await #expect(throws: ProviderError.self) {
                _ = try await harness.dispatch.complete(request, context: harness.context)
            }
            #expect(error?.kind == .overloaded)
            #expect(harness.simulator.requests(for: .openAI).isEmpty)
            #expect(harness.simulator.requests(for: .anthropic).isEmpty)
            #expect(error?.attempts.map(\.provider) == [.ollama])
        }
    }

    @Test func streamFallsBackBeforeTheFirstToken() async throws {
        try await Self.withHarness { harness in
            harness.simulator.enqueue(
                SimulatedReply.text("never seen").with(
                    .inStreamError(afterEvents: 1, type: "server_error", message: "boom")),
                for: .openAI)
            harness.simulator.enqueue(.text("the fallback answer"), for: .anthropic)
            let stream = try await harness.dispatch.stream(Self.complex(), context: harness.context)
            var events: [ChatEvent] = []
            for try await event in stream { events.append(event) }
            let starts: [StreamStart] = events.compactMap { if case .started(let start) = $0 { start } else { nil } }
            #expect(starts.count == 1)
            // The start says which candidates failed before it, so a gateway can count attempts in its headers.
            #expect(starts.first?.provider == .anthropic)
            #expect(starts.first?.earlierAttempts.map(\.provider) == [.openAI])
            var accumulator = ChatResponseAccumulator()
            for event in events { accumulator.add(event) }
            let response = try accumulator.response()
            #expect(response.text == "the fallback answer")
            #expect(response.provider == .anthropic)
            #expect(response.attempts.map(\.outcome) == ["server", "success"])
        }
    }

    @Test func streamBrokenAfterTheFirstTokenEndsWithPartialUsage() async throws {
        try await Self.withHarness { harness in
            var reply = SimulatedReply.text(
                "a long answer that will break", usage: SimulatedUsage(inputTokens: 17, outputTokens: 9))
            reply.chunkSize = 3
            harness.simulator.enqueue(reply.with(.cutStream(afterEvents: 6)), for: .anthropic)
            var request = Self.complex()
            request.provider = .anthropic
            let stream = try await harness.dispatch.stream(request, context: harness.context)
            var text = ""
            let error = await #expect(throws: ProviderError.self) {
                for try await event in stream { if case .textDelta(let piece) = event { text += piece } }
            }
            #expect(!text.isEmpty)
            #expect(error?.kind == .streamInterrupted)
            #expect(error?.partialUsage?.inputTokens == 17)
            #expect(harness.simulator.requests(for: .openAI).isEmpty, "no fallback after content was delivered")
        }
    }

    @Test func openBreakerSkipsTheProviderUntilItsCooldownThenCloses() async throws {
        let breaker = CircuitBreakerPolicy(consecutiveFailures: 2, cooldown: .seconds(30), halfOpenProbes: 1)
        try await Self.withHarness(breaker: breaker) { harness in
            for _ in 0..<2 {
                harness.simulator.enqueue(.failure(status: 500), for: .openAI)
                _ = try await harness.dispatch.complete(Self.complex(), context: harness.context)
            }
            let key = BreakerKey(provider: .openAI, model: "gpt-4o-mini")
            #expect(harness.breakers.state(of: key) == .open)
            let sentBefore = harness.simulator.requests(for: .openAI).count
            let skipped = try await harness.dispatch.complete(Self.complex(), context: harness.context)
            #expect(harness.simulator.requests(for: .openAI).count == sentBefore)
            #expect(skipped.attempts.first?.skipped == true)
            #expect(skipped.attempts.first?.note == "circuit open")
            harness.clock.advance(by: .seconds(30))
            let probed = try await harness.dispatch.complete(Self.complex(), context: harness.context)
            #expect(probed.provider == .openAI)
            #expect(harness.breakers.state(of: key) == .closed)
        }
    }

    @Test func disablingAProviderAtRunTimeRoutesAroundIt() async throws {
        try await Self.withHarness { harness in
            harness.dispatch.router.controls.disable(.openAI)
            harness.simulator.enqueue(.text("anthropic took it"), for: .anthropic)
            let response = try await harness.dispatch.complete(Self.complex(), context: harness.context)
            #expect(response.provider == .anthropic)
            #expect(harness.simulator.requests(for: .openAI).isEmpty)
            var pinned = Self.complex()
            pinned.provider = .openAI
            let error = await #expect(throws: ProviderError.self) {
                _ = try await harness.dispatch.complete(pinned, context: harness.context)
            }
            #expect(error?.kind == .noRoute)
            harness.dispatch.router.controls.enable(.openAI)
            let back = try await harness.dispatch.complete(Self.complex(), context: harness.context)
            #expect(back.provider == .openAI)
        }
    }

    @Test func anUnavailableModelFallsBack() async throws {
        try await Self.withHarness { harness in
            harness.simulator.enqueue(.failure(status: 404, code: "model_not_found"), for: .openAI)
            harness.simulator.enqueue(.text("anthropic has it"), for: .anthropic)
            let response = try await harness.dispatch.complete(Self.complex(), context: harness.context)
            #expect(response.provider == .anthropic)
            #expect(response.attempts.map(\.outcome) == ["notFound", "success"])
        }
    }
}
