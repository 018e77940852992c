import Foundation
import Logging
import Switchboard
import SwitchboardTesting
import Testing

/// The `routing:` section of switchboard.yaml, and routing through `LLMClient`.
@Suite struct RoutingConfigurationTests {
    func load(_ yaml: String) throws -> SwitchboardConfiguration {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("switchboard.yaml", yaml)
        return try SwitchboardConfiguration.load(
            environment: ["HOME": directory.path], currentDirectory: directory.path)
    }

    @Test func routingSectionIsRead() throws {
        let configuration = try load(
            """
            routing:
              classify_sensitivity: true
              tasks:
                simple: { localities: [local], preferred_models: [ollama/llama3.2] }
                complex: { localities: [external, local], max_price: 5.5, max_latency: 20s }
                translation: { localities: [external] }
              prices: { openai/gpt-4o: 6.25 }
            """)
        let routing = try #require(configuration.routing)
        #expect(routing.classifiesSensitivity)
        #expect(routing.rule(for: .simpleGeneration).localities == [.local])
        #expect(
            routing.rule(for: .simpleGeneration).preferredModels == [
                ModelReference(provider: .ollama, model: "llama3.2")
            ])
        #expect(routing.rule(for: .complexReasoning).maxPricePerMillionTokens == Decimal(string: "5.5"))
        #expect(routing.rule(for: .complexReasoning).maxLatency == .seconds(20))
        #expect(routing.rule(for: TaskType(rawValue: "translation")).localities == [.external])
        #expect(routing.rule(for: .sensitiveData).localities == [.local])
        #expect(routing.prices[ModelReference("openai/gpt-4o")] == Decimal(string: "6.25"))
    }

    @Test func fallbackTablesAndOrderAreRead() throws {
        let routing = try #require(
            try load(
                """
                routing:
                  tasks:
                    complex: { order: latency }
                  context_window_fallbacks:
                    openai/gpt-4o-mini: [openai/gpt-4.1, anthropic/claude-sonnet-4-5]
                  content_filter_fallbacks:
                    anthropic: [ollama/llama3.2]
                """
            ).routing)
        #expect(routing.rule(for: .complexReasoning).order == .latency)
        #expect(routing.rule(for: .simpleGeneration).order == .configured)
        #expect(
            routing.contextWindowFallbacks[ModelReference("openai/gpt-4o-mini")] == [
                ModelReference("openai/gpt-4.1"), ModelReference("anthropic/claude-sonnet-4-5"),
            ])
        #expect(routing.contentFilterFallbacks[ModelReference("anthropic")] == [ModelReference("ollama/llama3.2")])
        #expect {
            try load("routing:\n  tasks:\n    simple: { order: fastest }\n")
        } throws: { ($0 as? ConfigurationError)?.keyPath == "routing.tasks.simple.order" }
        #expect {
            try load("routing:\n  context_window_fallbacks:\n    openai: openai/gpt-4.1\n")
        } throws: { ($0 as? ConfigurationError)?.keyPath == "routing.context_window_fallbacks.openai" }
    }

    @Test func resilienceSectionAndEnvironmentAreRead() throws {
        let configuration = try load(
            """
            resilience:
              max_retries: 4
              initial_backoff: 250ms
              max_backoff: 4s
              max_retry_after: 20s
              deadline: 90s
              circuit_breaker: { consecutive_failures: 3, failure_rate: 0.25, cooldown: 10s, half_open_probes: 2 }
            """)
        let resilience = configuration.resilience
        #expect(
            resilience.retry
                == RetryPolicy(
                    maxRetries: 4, initialBackoff: .milliseconds(250), maxBackoff: .seconds(4),
                    maxRetryAfter: .seconds(20)))
        #expect(resilience.totalDeadline == .seconds(90))
        #expect(resilience.circuitBreaker.consecutiveFailures == 3)
        #expect(resilience.circuitBreaker.failureRate == 0.25)
        #expect(resilience.circuitBreaker.cooldown == .seconds(10))
        #expect(resilience.circuitBreaker.halfOpenProbes == 2)
        #expect(try load("default_provider: openai\n").resilience == ResilienceConfiguration())
        #expect {
            try load("resilience:\n  circuit_breaker: { failure_rate: 2 }\n")
        } throws: { ($0 as? ConfigurationError)?.keyPath == "resilience.circuit_breaker.failure_rate" }
        #expect {
            try load("resilience:\n  max_retries: -1\n")
        } throws: { ($0 as? ConfigurationError)?.keyPath == "resilience.max_retries" }

        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let fromEnvironment = try SwitchboardConfiguration.load(
            environment: ["HOME": directory.path, "SWITCHBOARD_MAX_RETRIES": "0"], currentDirectory: directory.path)
        #expect(fromEnvironment.resilience.retry.maxRetries == 0)
        #expect {
            try SwitchboardConfiguration.load(
                environment: ["HOME": directory.path, "SWITCHBOARD_MAX_RETRIES": "many"],
                currentDirectory: directory.path)
        } throws: { ($0 as? ConfigurationError)?.keyPath == "SWITCHBOARD_MAX_RETRIES" }
    }

    @Test func noRoutingSectionMeansNoRouting() throws {
        #expect(try load("default_provider: openai\n").routing == nil)
    }

    @Test func badLocalityNamesItsPath() {
        #expect {
            try load("routing:\n  tasks:\n    simple: { localities: [nearby] }\n")
        } throws: { ($0 as? ConfigurationError)?.keyPath == "routing.tasks.simple.localities" }
    }

    /// A routed client over an external OpenAI and Anthropic and a local Ollama, all on one simulator,
    /// without retries; `health`, when given, is built over the same providers.
    static func withRoutedClient(
        routing: RoutingConfiguration = RoutingConfiguration(),
        withHealth: Bool = false,
        _ body: (LLMClient, ProviderSimulator, HealthMonitor?) async throws -> Void
    ) async throws {
        try await ProviderSimulator.withSimulator { simulator in
            let transport = HTTPTransport()
            do {
                var openAI = try OpenAIConfiguration(
                    apiKey: APIKey("sk-routed-client-000"), baseURL: simulator.baseURL(for: .openAI))
                openAI.isLocal = false  // the simulator is on loopback; this one stands for the real OpenAI
                let providers: [any LanguageModelProvider] = [
                    OpenAIProvider(configuration: openAI, transport: transport),
                    AnthropicProvider(
                        configuration: try AnthropicConfiguration(
                            apiKey: APIKey("sk-ant-routed-000"), baseURL: simulator.baseURL(for: .anthropic)),
                        transport: transport),
                    OllamaProvider(
                        configuration: try OllamaConfiguration(host: simulator.baseURL(for: .ollama)),
                        transport: transport),
                ]
                let health =
                    withHealth
                    ? HealthMonitor(
                        providers: providers, clock: PolicyClock(ManualClock()), logger: Logger(label: "test"))
                    : nil
                let client = LLMClient(
                    providers: providers, routing: routing,
                    resilience: ResiliencePolicy(retry: RetryPolicy(maxRetries: 0)), health: health)
                try await body(client, simulator, health)
            } catch {
                try? await transport.shutdown()
                throw error
            }
            try await transport.shutdown()
        }
    }

    static let complex = ChatRequest(messages: [.user("hard")], metadata: RequestMetadata(taskType: .complexReasoning))

    @Test func clientRoutesByTaskAndFallsBack() async throws {
        try await Self.withRoutedClient { client, simulator, _ in
            simulator.enqueue(.text("local answer"), for: .ollama)
            let simple = try await client.chat(ChatRequest(messages: [.user("What is 2+2?")]))
            #expect(simple.provider == .ollama)
            simulator.enqueue(.failure(status: 503), for: .openAI)
            simulator.enqueue(.text("anthropic after openai failed"), for: .anthropic)
            let complex = try await client.chat(ChatRequest(messages: [.user("Explain why, step by step.")]))
            #expect(complex.provider == .anthropic)
            #expect(complex.attempts.map(\.provider) == [.openAI, .anthropic])
            #expect(complex.attempts.map(\.outcome) == ["overloaded", "success"])
        }
    }

    @Test func detectedPersonalDataStaysLocal() async throws {
        try await Self.withRoutedClient(routing: RoutingConfiguration(classifiesSensitivity: true)) {
            client, simulator, _ in
            simulator.enqueue(.text("kept local"), for: .ollama)
            let request = ChatRequest(
                messages: [.user("Draft a reply to jane.doe@example.com about her invoice")],
                metadata: RequestMetadata(taskType: .complexReasoning))
            let local = try await client.chat(request)
            #expect(local.provider == .ollama)
            simulator.enqueue(.failure(status: 503), for: .ollama)
            let error = await #expect(throws: ProviderError.self) { _ = try await client.chat(request) }
            #expect(error?.kind == .overloaded)
            #expect(simulator.requests(for: .openAI).isEmpty, "not even when the local model fails")
            #expect(simulator.requests(for: .anthropic).isEmpty)
        }
    }

    @Test func healthDrivenSkippingAndOfflineMode() async throws {
        try await Self.withRoutedClient(withHealth: true) { client, simulator, health in
            let health = try #require(health)
            let unreachable = ProviderError(kind: .network, provider: .openAI, message: "connection refused")
            health.record(.openAI, outcome: .failure(unreachable))
            let skippingOpenAI = try await client.chat(Self.complex)
            #expect(skippingOpenAI.provider == .anthropic)
            #expect(simulator.requests(for: .openAI).isEmpty)

            var anthropicDown = unreachable
            anthropicDown.provider = .anthropic
            health.record(.anthropic, outcome: .failure(anthropicDown))
            let plan = try client.routing.router.plan(for: Self.complex)
            #expect(plan.candidates.map(\.reference.provider) == [.ollama], "offline: only local is planned")
            let offline = try await client.chat(Self.complex)
            #expect(offline.provider == .ollama)

            health.record(.openAI, outcome: .success(latency: .milliseconds(80)))
            let recovered = try await client.chat(Self.complex)
            #expect(recovered.provider == .openAI)
        }
    }
}
