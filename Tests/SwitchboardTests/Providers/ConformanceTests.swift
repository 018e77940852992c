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
