import Logging
import Switchboard
import SwitchboardTesting
import Tracing

/// Runs `body` with a started simulator and a client whose providers point at it; shuts both down.
///
/// The client does not retry, so one enqueued failure is one failed request; retries are tested in
/// `Routing/` with virtual time.
func withSimulatedClient<T: Sendable>(
    logger: Logger = Logger(label: "test"),
    stages: [any ChatMiddleware] = [],
    tracer: any Tracer = NoOpTracer(),
    usage: UsageConfiguration = .init(),
    configure: (inout SwitchboardConfiguration) -> Void = { _ in },
    _ body: (LLMClient, ProviderSimulator) async throws -> T
) async throws -> T {
    try await ProviderSimulator.withSimulator { simulator in
        var configuration = SwitchboardConfiguration(
            providers: [
                ProviderConfiguration(
                    id: .openAI, kind: .openAI, apiKey: APIKey(testOpenAIKey), baseURL: simulator.baseURL(for: .openAI)),
                ProviderConfiguration(
                    id: .anthropic, kind: .anthropic, apiKey: APIKey(testAnthropicKey),
                    baseURL: simulator.baseURL(for: .anthropic)),
                ProviderConfiguration(
                    id: .gemini, kind: .gemini, apiKey: APIKey(testGeminiKey), baseURL: simulator.baseURL(for: .gemini)),
                ProviderConfiguration(
                    id: .ollama, kind: .ollama, baseURL: simulator.baseURL(for: .ollama),
                    ollamaOptions: OllamaOptions(contextLength: 4096, threads: 2, keepAlive: "10m")),
            ],
            transport: TransportConfiguration(requestTimeout: .seconds(60), idleTimeout: .seconds(30)))
        configuration.resilience.retry.maxRetries = 0
        configuration.usage = usage
        configure(&configuration)
        return try await withLLMClient(configuration: configuration, logger: logger, stages: stages, tracer: tracer) {
            client in
            try await body(client, simulator)
        }
    }
}

let testOpenAIKey = "sk-test-openai-0123456789abcdef"
let testAnthropicKey = "sk-ant-test-0123456789abcdef"
let testGeminiKey = "AIzaSyTestGeminiKey0123456789"
