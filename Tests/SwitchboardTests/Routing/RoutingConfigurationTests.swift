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

    @Test func noRoutingSectionMeansNoRouting() throws {
        #expect(try load("default_provider: openai\n").routing == nil)
    }

    @Test func badLocalityNamesItsPath() {
        #expect {
            try load("routing:\n  tasks:\n    simple: { localities: [nearby] }\n")
        } throws: { ($0 as? ConfigurationError)?.keyPath == "routing.tasks.simple.localities" }
    }

    @Test func clientRoutesByTaskAndFallsBack() async throws {
        try await ProviderSimulator.withSimulator { simulator in
            let transport = HTTPTransport()
            var openAI = try OpenAIConfiguration(
                apiKey: APIKey("sk-route-client-0000"), baseURL: simulator.baseURL(for: .openAI))
            openAI.isLocal = false  // the simulator is on loopback; this one stands for the real OpenAI
            let client = LLMClient(
                providers: [
                    OpenAIProvider(configuration: openAI, transport: transport),
                    OllamaProvider(
                        configuration: try OllamaConfiguration(host: simulator.baseURL(for: .ollama)),
                        transport: transport),
                ],
                routing: RoutingConfiguration(),
                resilience: ResiliencePolicy(retry: RetryPolicy(maxRetries: 0)))
            do {
                simulator.enqueue(.text("local answer"), for: .ollama)
                let simple = try await client.chat(ChatRequest(messages: [.user("What is 2+2?")]))
                #expect(simple.provider == .ollama)
                simulator.enqueue(.failure(status: 503), for: .openAI)
                simulator.enqueue(.text("local after openai failed"), for: .ollama)
                let complex = try await client.chat(ChatRequest(messages: [.user("Explain why, step by step.")]))
                #expect(complex.provider == .ollama)
                #expect(complex.attempts.map(\.provider) == [.openAI, .ollama])
                #expect(complex.attempts.map(\.outcome) == ["overloaded", "success"])
            } catch {
                try? await transport.shutdown()
                throw error
            }
            try await transport.shutdown()
        }
    }

    @Test func detectedPersonalDataStaysLocal() async throws {
        try await ProviderSimulator.withSimulator { simulator in
            let transport = HTTPTransport()
            var openAI = try OpenAIConfiguration(
                apiKey: APIKey("sk-route-pii-00000"), baseURL: simulator.baseURL(for: .openAI))
            openAI.isLocal = false
            let client = LLMClient(
                providers: [
                    OpenAIProvider(configuration: openAI, transport: transport),
                    OllamaProvider(
                        configuration: try OllamaConfiguration(host: simulator.baseURL(for: .ollama)),
                        transport: transport),
                ],
                routing: RoutingConfiguration(classifiesSensitivity: true),
                resilience: ResiliencePolicy(retry: RetryPolicy(maxRetries: 0)))
            do {
                simulator.enqueue(.text("kept local"), for: .ollama)
                let request = ChatRequest(
                    messages: [.user("Draft a reply to jane.doe@example.com about her invoice")],
                    metadata: RequestMetadata(taskType: .complexReasoning))
                let response = try await client.chat(request)
                #expect(response.provider == .ollama)
                #expect(simulator.requests(for: .openAI).isEmpty)
                simulator.enqueue(.failure(status: 503), for: .ollama)
                let error = await #expect(throws: ProviderError.self) { _ = try await client.chat(request) }
                #expect(error?.kind == .overloaded)
                #expect(simulator.requests(for: .openAI).isEmpty, "not even when the local model fails")
            } catch {
                try? await transport.shutdown()
                throw error
            }
            try await transport.shutdown()
        }
    }

    @Test func healthDrivenSkippingAndOfflineMode() async throws {
        try await ProviderSimulator.withSimulator { simulator in
            let transport = HTTPTransport()
            var openAI = try OpenAIConfiguration(
                apiKey: APIKey("sk-health-route-000"), baseURL: simulator.baseURL(for: .openAI))
            openAI.isLocal = false
            let providers: [any LanguageModelProvider] = [
                OpenAIProvider(configuration: openAI, transport: transport),
                AnthropicProvider(
                    configuration: try AnthropicConfiguration(
                        apiKey: APIKey("sk-ant-health-000"), baseURL: simulator.baseURL(for: .anthropic)),
                    transport: transport),
                OllamaProvider(
                    configuration: try OllamaConfiguration(host: simulator.baseURL(for: .ollama)), transport: transport),
            ]
            let health = HealthMonitor(
                providers: providers, clock: PolicyClock(ManualClock()), logger: Logger(label: "test"))
            let client = LLMClient(
                providers: providers, routing: RoutingConfiguration(),
                resilience: ResiliencePolicy(retry: RetryPolicy(maxRetries: 0)), health: health)
            let complex = ChatRequest(messages: [.user("hard")], metadata: RequestMetadata(taskType: .complexReasoning))
            let unreachable = ProviderError(kind: .network, provider: .openAI, message: "connection refused")
            do {
                health.record(.openAI, outcome: .failure(unreachable))
                #expect(try await client.chat(complex).provider == .anthropic)
                #expect(simulator.requests(for: .openAI).isEmpty)

                var anthropicDown = unreachable
                anthropicDown.provider = .anthropic
                health.record(.anthropic, outcome: .failure(anthropicDown))
                let plan = try #require(client.routing).router.plan(for: complex)
                #expect(plan.candidates.map(\.reference.provider) == [.ollama], "offline: only local is planned")
                #expect(try await client.chat(complex).provider == .ollama)

                health.record(.openAI, outcome: .success(latency: .milliseconds(80)))
                #expect(try await client.chat(complex).provider == .openAI)
            } catch {
                try? await transport.shutdown()
                throw error
            }
            try await transport.shutdown()
        }
    }
}
