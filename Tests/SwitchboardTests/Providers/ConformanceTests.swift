import Switchboard
import SwitchboardTesting
import Testing

@Suite struct OpenAIConformanceTests {
    @Test(arguments: ProviderConformance.checkNames)
    func conformance(check: String) async throws {
        try await ProviderConformance(simulated: .openAI) { baseURL, key, transport in
            OpenAIProvider(
                configuration: try OpenAIConfiguration(apiKey: APIKey(key), baseURL: baseURL), transport: transport)
        }.run(check)
    }
}

@Suite struct AnthropicConformanceTests {
    @Test(arguments: ProviderConformance.checkNames)
    func conformance(check: String) async throws {
        try await ProviderConformance(simulated: .anthropic) { baseURL, key, transport in
            AnthropicProvider(
                configuration: try AnthropicConfiguration(apiKey: APIKey(key), baseURL: baseURL), transport: transport)
        }.run(check)
    }
}

@Suite struct GeminiConformanceTests {
    @Test(arguments: ProviderConformance.checkNames)
    func conformance(check: String) async throws {
        try await ProviderConformance(simulated: .gemini) { baseURL, key, transport in
            GeminiProvider(
                configuration: try GeminiConfiguration(apiKey: APIKey(key), baseURL: baseURL), transport: transport)
        }.run(check)
    }
}

@Suite struct OllamaConformanceTests {
    @Test(arguments: ProviderConformance.checkNames)
    func conformance(check: String) async throws {
        try await ProviderConformance(simulated: .ollama) { baseURL, _, transport in
            OllamaProvider(configuration: try OllamaConfiguration(host: baseURL), transport: transport)
        }.run(check)
    }
}
