import Logging
import Switchboard
import SwitchboardTesting

/// The demo's offline step: the external provider's simulator is stopped (the network is cut), the
/// client goes offline after two failures, a local model answers, a request that needs the external
/// provider is queued, and it is sent when the simulator starts again.
struct DemoOfflineStep {
    /// Serves the local Ollama, which stays up.
    let simulator: ProviderSimulator
    let output: TerminalOutput
    let logger: Logger

    func run(number: Int) async throws {
        output.write("\n" + output.bold(output.cyan("\(number). Offline mode and the outbox")) + "\n")
        output.write(
            output.dim("   client.submit(request) → .answered(response) or .queued(ticket); then client.outbox.drain()")
                + "\n")
        let internet = try await ProviderSimulator.start()
        do {
            try await withDemoTransport { transport in try await tour(transport: transport, internet: internet) }
        } catch {
            try? await internet.shutdown()
            throw error
        }
        try await internet.shutdown()
    }

    private func tour(transport: HTTPTransport, internet: ProviderSimulator) async throws {
        var openAI = try OpenAIConfiguration(
            apiKey: APIKey("sk-demo-key-not-real"), baseURL: internet.baseURL(for: .openAI))
        openAI.isLocal = false  // the simulator runs here, but this stands for the real, external OpenAI
        let providers: [any LanguageModelProvider] = [
            OpenAIProvider(configuration: openAI, transport: transport),
            OllamaProvider(
                configuration: try OllamaConfiguration(host: simulator.baseURL(for: .ollama)), transport: transport),
        ]
        var rules = RoutingConfiguration.defaultRules
        rules["research"] = TaskRule(localities: [.external])
        let client = LLMClient(
            providers: providers, logger: logger, routing: RoutingConfiguration(rules: rules),
            resilience: ResiliencePolicy(retry: RetryPolicy(maxRetries: 0)))
        let complex = ChatRequest(
            messages: [.user("Compare two sorting algorithms")], metadata: .init(taskType: .complexReasoning))

        internet.enqueue(.text("Merge sort is stable; quicksort sorts in place."), for: .openAI)
        let online = try await client.chat(complex)
        line("online", "→ \(online.provider)", "a complex task goes to the external provider")

        await internet.stop()
        line("network cut", "", "the external provider's simulator is stopped: connections are refused")
        for _ in 1...2 {
            let answer = try await client.chat(complex)
            let mode = client.connectivity.mode
            let note =
                mode == .offline
                ? "\(mode) — answered by local model \(answer.model)"
                : "\(mode) — one failure is not offline yet; answered by \(answer.provider)"
            line("complex task", "→ \(answer.provider)", note)
        }

        var research = ChatRequest(
            messages: [.user("Find this week's papers on retrieval")], metadata: .init(taskType: "research"))
        research.metadata.deferrable = true
        guard case .queued(let ticket) = try await client.submit(research) else {
            line("research task", "answered", "expected it to be queued")
            return
        }
        line("research task", "queued \(ticket)", "\(client.connectivity.mode) — needs an external provider; queued")

        try await internet.restart()
        internet.setDefaultReply(.text("Three papers this week: …"), for: .openAI)
        let mode = await client.connectivity.checkNow()
        line("network back", "→ \(mode)", "a probe reached openai again")
        let report = try await client.outbox.drain()
        for entry in report.completed {
            line(
                "outbox sync", "\(entry.ticket) → \(entry.result?.provider.rawValue ?? "?")",
                "stored: \"\(entry.result?.text ?? "")\"")
        }
    }

    private func line(_ what: String, _ result: String, _ detail: String) {
        output.write(
            "   " + what.padding(toLength: 16, withPad: " ", startingAt: 0)
                + output.green(result.padding(toLength: 16, withPad: " ", startingAt: 0))
                + output.dim(detail) + "\n")
    }
}
