import Logging
import Switchboard
import SwitchboardTesting

/// The demo's routing step: task types routed, personal data kept local, a fallback, a breaker
/// opening and closing — in virtual time, on a client of its own with routing turned on.
struct DemoRoutingStep {
    let simulator: ProviderSimulator
    let output: TerminalOutput
    let logger: Logger

    func run(number: Int) async throws {
        output.write("\n" + output.bold(output.cyan("\(number). Routing, fallback and circuit breakers")) + "\n")
        output.write(
            output.dim("   LLMClient(providers: …, routing: RoutingConfiguration(classifiesSensitivity: true))") + "\n")
        try await withDemoTransport { transport in try await tour(transport: transport) }
    }

    private func tour(transport: HTTPTransport) async throws {
        let clock = ManualClock()
        var openAI = try OpenAIConfiguration(
            apiKey: APIKey("sk-demo-key-not-real"), baseURL: simulator.baseURL(for: .openAI))
        openAI.isLocal = false  // the simulator runs here, but this stands for the real, external OpenAI
        let providers: [any LanguageModelProvider] = [
            OpenAIProvider(configuration: openAI, transport: transport),
            AnthropicProvider(
                configuration: try AnthropicConfiguration(
                    apiKey: APIKey("sk-ant-demo-key-not-real"), baseURL: simulator.baseURL(for: .anthropic)),
                transport: transport),
            OllamaProvider(
                configuration: try OllamaConfiguration(host: simulator.baseURL(for: .ollama)), transport: transport),
        ]
        let breakers = CircuitBreakerRegistry(
            policy: CircuitBreakerPolicy(consecutiveFailures: 2, cooldown: .seconds(30)), clock: PolicyClock(clock))
        let client = LLMClient(
            providers: providers, logger: logger, routing: RoutingConfiguration(classifiesSensitivity: true),
            resilience: ResiliencePolicy(
                retry: RetryPolicy(maxRetries: 0), breakers: breakers, clock: PolicyClock(clock)))

        let tasks: [(TaskType, String)] = [
            (.simpleGeneration, "What is 2 + 2?"), (.complexReasoning, "Prove it step by step."),
            (.sensitiveData, "Summarise my medical notes."), (.creativeWriting, "Write a haiku about routers."),
        ]
        for (task, prompt) in tasks {
            let response = try await client.chat(
                ChatRequest(messages: [.user(prompt)], metadata: .init(taskType: task)))
            line("\(task)", "→ \(response.provider)", "")
        }

        let personal = try await client.chat(
            ChatRequest(
                messages: [.user("Reply to jane.doe@example.com about her invoice")],
                metadata: .init(taskType: .complexReasoning)))
        line("e-mail in prompt", "→ \(personal.provider)", "kept on this machine, though the task is complex")

        simulator.enqueue(.failure(status: 503), for: .openAI)
        let fallback = try await client.chat(
            ChatRequest(messages: [.user("Explain why")], metadata: .init(taskType: .complexReasoning)))
        line("openai answers 503", "→ \(fallback.provider)", fallback.attempts.map(\.outcome).joined(separator: ", "))

        simulator.enqueue(.failure(status: 500), for: .openAI)
        _ = try await client.chat(ChatRequest(messages: [.user("again")], metadata: .init(taskType: .complexReasoning)))
        let key = BreakerKey(provider: .openAI, model: providers[0].defaultModel)
        line("two failures in a row", "breaker \(breakers.state(of: key))", "openai is skipped without a request")
        let skipped = try await client.chat(
            ChatRequest(messages: [.user("and again")], metadata: .init(taskType: .complexReasoning)))
        line("next request", "→ \(skipped.provider)", skipped.attempts.first?.note ?? "")
        clock.advance(by: .seconds(30))
        let probe = try await client.chat(
            ChatRequest(messages: [.user("better now?")], metadata: .init(taskType: .complexReasoning)))
        line("30 s later (virtual time)", "→ \(probe.provider)", "probe succeeded; breaker \(breakers.state(of: key))")
    }

    private func line(_ what: String, _ result: String, _ detail: String) {
        output.write(
            "   " + what.padding(toLength: 26, withPad: " ", startingAt: 0)
                + output.green(result.padding(toLength: 16, withPad: " ", startingAt: 0))
                + output.dim(detail) + "\n")
    }
}
