import Foundation
import Logging
import Switchboard
import SwitchboardTesting
import Testing

/// Configured alternatives for context-window and content-filter failures, candidate ordering by
/// latency and price, routing without task rules, and the deadline over a call in flight.
@Suite struct FallbackAlternativesTests {
    typealias Harness = RoutedDispatchTests.Harness
    static let complex = RoutedDispatchTests.complex()

    @Test func contextTooLongTriesTheConfiguredLargerModelBeforeTheRestOfThePlan() async throws {
        let routing = RoutingConfiguration(contextWindowFallbacks: [
            ModelReference("openai"): [ModelReference("openai/gpt-4.1")]
        ])
        try await RoutedDispatchTests.withHarness(routing: routing) { harness in
            harness.simulator.enqueue(.failure(status: 400, code: "context_length_exceeded"), for: .openAI)
            harness.simulator.enqueue(.text("fits in the larger window"), for: .openAI)
            let response = try await harness.dispatch.complete(Self.complex, context: harness.context)
            #expect(response.text == "fits in the larger window")
            #expect(response.attempts.map(\.outcome) == ["contextTooLong", "success"])
            #expect(response.attempts.last?.model == "gpt-4.1")
            #expect(response.attempts.first?.note?.contains("configured alternative openai/gpt-4.1") == true)
            #expect(harness.simulator.requests(for: .openAI).last?.json?["model"] == "gpt-4.1")
            #expect(harness.simulator.requests(for: .anthropic).isEmpty)
        }
    }

    @Test func contentFilterFallsBackOnlyToTheConfiguredAlternative() async throws {
        let routing = RoutingConfiguration(contentFilterFallbacks: [
            ModelReference("openai"): [ModelReference("anthropic/claude-sonnet-4-5")]
        ])
        try await RoutedDispatchTests.withHarness(routing: routing) { harness in
            harness.simulator.enqueue(.failure(status: 400, code: "content_policy_violation"), for: .openAI)
            harness.simulator.enqueue(.text("the alternative answers"), for: .anthropic)
            let response = try await harness.dispatch.complete(Self.complex, context: harness.context)
            #expect(response.text == "the alternative answers")
            #expect(response.attempts.map(\.provider) == [.openAI, .anthropic])
            #expect(response.attempts.last?.model == "claude-sonnet-4-5")
        }
        // Without a configured alternative a content-filter refusal ends the request.
        try await RoutedDispatchTests.withHarness { harness in
            harness.simulator.enqueue(.failure(status: 400, code: "content_policy_violation"), for: .openAI)
            let error = await #expect(throws: ProviderError.self) {
                _ = try await harness.dispatch.complete(Self.complex, context: harness.context)
            }
            #expect(error?.kind == .contentFiltered)
            #expect(harness.simulator.requests(for: .anthropic).isEmpty)
        }
    }

    @Test func anExternalAlternativeIsNeverUsedForASensitiveRequest() async throws {
        let routing = RoutingConfiguration(contextWindowFallbacks: [
            ModelReference("ollama"): [ModelReference("openai/gpt-4.1"), ModelReference("ollama/llama3.1:70b")]
        ])
        try await RoutedDispatchTests.withHarness(routing: routing) { harness in
            let sensitive = ChatRequest(
                messages: [.user("my card")], metadata: RequestMetadata(sensitivity: .sensitive))
            let plan = try harness.dispatch.router.plan(for: sensitive)
            #expect(plan.candidates.map(\.reference.provider) == [.ollama])
            #expect(plan.candidates[0].contextFallbacks.map(\.reference.description) == ["ollama/llama3.1:70b"])
            #expect(plan.skipped.contains { $0.reference.description == "openai/gpt-4.1" })

            harness.simulator.enqueue(
                .failure(status: 400, message: "the input length exceeds the context length"), for: .ollama)
            harness.simulator.enqueue(.failure(status: 500), for: .ollama)
            let error = await #expect(throws: ProviderError.self) {
                _ = try await harness.dispatch.complete(sensitive, context: harness.context)
            }
            #expect(error != nil)
            #expect(harness.simulator.requests(for: .openAI).isEmpty)
            #expect(harness.simulator.requests(for: .anthropic).isEmpty)
        }
    }

    @Test func candidatesCanBeOrderedByMeasuredLatencyOrByPrice() async throws {
        var routing = RoutingConfiguration(prices: [ModelReference("openai"): 10, ModelReference("anthropic"): 3])
        routing.rules[.complexReasoning] = TaskRule(localities: [.external, .local], order: .latency)
        routing.rules[.creativeWriting] = TaskRule(localities: [.external], order: .price)
        try await RoutedDispatchTests.withHarness(routing: routing) { harness in
            let router = harness.dispatch.router
            // Never measured: configured order.
            let unmeasured = try router.plan(for: Self.complex).candidates.map(\.reference.provider)
            #expect(unmeasured == [.openAI, .anthropic, .ollama])
            router.latency.record(ModelReference(provider: .openAI), timeToFirstToken: nil, total: .seconds(4))
            router.latency.record(ModelReference(provider: .anthropic), timeToFirstToken: nil, total: .seconds(1))
            let measured = try router.plan(for: Self.complex).candidates.map(\.reference.provider)
            #expect(measured == [.anthropic, .openAI, .ollama])
            let creative = ChatRequest(
                messages: [.user("a poem")], metadata: RequestMetadata(taskType: .creativeWriting))
            let byPrice = try router.plan(for: creative).candidates.map(\.reference.provider)
            #expect(byPrice == [.anthropic, .openAI])
        }
    }

    @Test func withoutTaskRoutingTheDefaultProviderAloneIsTriedWithRetries() async throws {
        try await RoutedDispatchTests.withHarness(
            retry: RetryPolicy(maxRetries: 2), routing: .direct, defaultProvider: .anthropic
        ) { harness in
            harness.simulator.enqueue(.failure(status: 529), for: .anthropic)
            harness.simulator.enqueue(.text("second try"), for: .anthropic)
            let task = Task { try await harness.dispatch.complete(Self.complex, context: harness.context) }
            await harness.clock.waitForSleepers(1)
            harness.clock.advance(by: .seconds(1))
            let response = try await task.value
            #expect(response.text == "second try")
            #expect(response.attempts.map(\.provider) == [.anthropic, .anthropic])
            #expect(harness.simulator.requests(for: .openAI).isEmpty)
        }
        try await RoutedDispatchTests.withHarness(routing: .direct, defaultProvider: .anthropic) { harness in
            harness.simulator.enqueue(.failure(status: 529), for: .anthropic)
            let error = await #expect(throws: ProviderError.self) {
                _ = try await harness.dispatch.complete(Self.complex, context: harness.context)
            }
            #expect(error?.kind == .overloaded)
            #expect(harness.simulator.requests(for: .openAI).isEmpty)
            #expect(harness.simulator.requests(for: .ollama).isEmpty)
        }
    }

    @Test func withoutTaskRoutingASensitiveRequestGoesToALocalProviderOnly() async throws {
        try await RoutedDispatchTests.withHarness(routing: .direct, defaultProvider: .openAI) { harness in
            harness.simulator.enqueue(.text("kept local"), for: .ollama)
            let sensitive = ChatRequest(
                messages: [.user("my IBAN")], metadata: RequestMetadata(sensitivity: .sensitive))
            let response = try await harness.dispatch.complete(sensitive, context: harness.context)
            #expect(response.text == "kept local")
            #expect(harness.simulator.requests(for: .openAI).isEmpty)
            #expect(harness.simulator.requests(for: .anthropic).isEmpty)
        }
    }

    @Test func theTotalDeadlineBoundsTheCallInFlight() async throws {
        try await ProviderSimulator.withSimulator { simulator in
            let transport = HTTPTransport(configuration: TransportConfiguration(requestTimeout: .seconds(60)))
            let provider = OpenAIProvider(
                configuration: try OpenAIConfiguration(
                    apiKey: APIKey("sk-deadline-000000"), baseURL: simulator.baseURL(for: .openAI)),
                transport: transport)
            let dispatch = RoutedDispatch(
                router: TaskRouter(providers: [TaskRouter.Provider(id: .openAI, locality: .external, defaultModel: nil)]
                ),
                providers: [provider],
                policy: ResiliencePolicy(retry: RetryPolicy(maxRetries: 0), totalDeadline: .milliseconds(300)))
            simulator.enqueue(SimulatedReply.text("far too late").with(.latency(.seconds(20))), for: .openAI)
            let error = await #expect(throws: ProviderError.self) {
                _ = try await dispatch.complete(
                    Self.complex, context: RequestContext(requestID: "t", logger: Logger(label: "test")))
            }
            try await transport.shutdown()
            #expect(error?.kind == .timeout)
            // The transport was given what was left of the request's 0.3 s, not its own 60 s.
            #expect(error?.message.contains("0.3s") == true, "\(error?.message ?? "")")
        }
    }

    @Test func aClientFromConfigurationRetriesByDefaultAsItsResilienceSays() async throws {
        try await ProviderSimulator.withSimulator { simulator in
            var configuration = SwitchboardConfiguration(providers: [
                ProviderConfiguration(
                    id: .openAI, kind: .openAI, apiKey: APIKey("sk-retry-000000"),
                    baseURL: simulator.baseURL(for: .openAI))
            ])
            configuration.resilience.retry.initialBackoff = .milliseconds(1)
            simulator.enqueue(.failure(status: 503), for: .openAI)
            simulator.enqueue(.text("retried"), for: .openAI)
            let response = try await withLLMClient(configuration: configuration) { client in
                try await client.chat(ChatRequest(messages: [.user("hi")]))
            }
            #expect(response.text == "retried")
            #expect(response.attempts.map(\.outcome) == ["overloaded", "success"])
            #expect(simulator.requests(for: .openAI).count == 2)
        }
    }
}
