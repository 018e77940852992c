import ArgumentParser
import Logging
import Switchboard
import SwitchboardTesting

/// `switchboard demo`: a tour of Switchboard against the built-in provider simulator.
/// Needs no key and no network.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Tour Switchboard against the built-in provider simulator (no key, no network).")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let environment = CommandEnvironment(verbose: global.verbose, debug: global.debug)
        let output = environment.output
        try await ProviderSimulator.withSimulator { simulator in
            let configuration = SwitchboardConfiguration(providers: [
                ProviderConfiguration(
                    id: .openAI, kind: .openAI, apiKey: APIKey("sk-demo-key-not-real"),
                    baseURL: simulator.baseURL(for: .openAI)),
                ProviderConfiguration(
                    id: .anthropic, kind: .anthropic, apiKey: APIKey("sk-ant-demo-key-not-real"),
                    baseURL: simulator.baseURL(for: .anthropic)),
                ProviderConfiguration(
                    id: .gemini, kind: .gemini, apiKey: APIKey("AIza-demo-key-not-real"),
                    baseURL: simulator.baseURL(for: .gemini)),
                ProviderConfiguration(id: .ollama, kind: .ollama, baseURL: simulator.baseURL(for: .ollama)),
            ])
            try await withLLMClient(configuration: configuration, logger: environment.logger) { client in
                let tour = DemoTour(client: client, simulator: simulator, output: output, logger: environment.logger)
                try await tour.run()
            }
        }
    }
}

/// The demo's steps, each showing one feature.
struct DemoTour {
    let client: LLMClient
    let simulator: ProviderSimulator
    let output: TerminalOutput
    let logger: Logger
    let providers: [(ProviderID, SimulatedProvider)] = [
        (.openAI, .openAI), (.anthropic, .anthropic), (.gemini, .gemini), (.ollama, .ollama),
    ]

    func run() async throws {
        output.write(output.bold("Switchboard demo") + output.dim(" — every provider behind one interface.\n"))
        output.write(output.dim("Running against the built-in provider simulator on 127.0.0.1:\(simulator.port)\n"))

        try await plainAnswers()
        try await streamedAnswers()
        try await toolCalls()
        await handledErrors()
        try await localModel()
        try await DemoRoutingStep(simulator: simulator, output: output, logger: logger).run(number: 6)
        try await DemoBudgetStep(simulator: simulator, output: output, logger: logger).run(number: 7)
        try await DemoRateLimitStep(simulator: simulator, output: output, logger: logger).run(number: 8)
        try await DemoCacheStep(simulator: simulator, output: output, logger: logger).run(number: 9)
        try await DemoOfflineStep(simulator: simulator, output: output, logger: logger).run(number: 10)
        usageSummary()
    }

    private func heading(_ number: Int, _ title: String, _ code: String) {
        output.write("\n" + output.bold(output.cyan("\(number). \(title)")) + "\n")
        output.write(output.dim("   \(code)") + "\n")
    }

    private func label(_ provider: ProviderID, _ model: String) -> String {
        output.green("   \(provider.rawValue)") + output.dim(" · \(model)")
    }

    private func plainAnswers() async throws {
        heading(1, "A plain answer", "try await client.chat(ChatRequest(messages: [.user(\"…\")], provider: …))")
        for (id, simulated) in providers {
            simulator.enqueue(
                .text("The capital of France is Paris.", usage: SimulatedUsage(inputTokens: 14, outputTokens: 8)),
                for: simulated)
            let response = try await client.chat(
                ChatRequest(messages: [.user("What is the capital of France?")], provider: id))
            let usage = response.usage.map { "\($0.totalInputTokens) in / \($0.outputTokens) out" } ?? "no usage"
            output.write(label(id, response.model) + "\n")
            output.writeModelText("     \(response.text)\n")
            let cost = response.cost.map { $0.total.formatted() } ?? "unknown price"
            output.write(output.dim("     finish: \(response.finishReason) · tokens: \(usage) · cost: \(cost)") + "\n")
        }
    }

    private func streamedAnswers() async throws {
        heading(2, "A streamed answer", "for try await piece in client.generateStream(\"…\", options: …)")
        for (id, simulated) in providers {
            simulator.enqueue(
                SimulatedReply.text("Streams arrive piece by piece, as the model writes them.")
                    .with(.eventInterval(.milliseconds(25))),
                for: simulated)
            output.write(output.green("   \(id.rawValue)") + "\n     ")
            for try await piece in client.generateStream("Tell me about streaming", options: .init(provider: id)) {
                output.writeModelText(piece)
            }
            output.write("\n")
        }
    }

    private func toolCalls() async throws {
        heading(3, "A tool call", "ChatRequest(messages: …, tools: [ToolDefinition(name: \"get_weather\", …)])")
        let tool = ToolDefinition(
            name: "get_weather", description: "The current weather in a city",
            parameters: [
                "type": "object", "properties": ["city": ["type": "string"]], "required": ["city"],
            ])
        for (id, simulated) in providers {
            simulator.enqueue(.toolCall(name: "get_weather", arguments: #"{"city":"Paris"}"#), for: simulated)
            var accumulator = ChatResponseAccumulator()
            for try await event in try await client.stream(
                ChatRequest(messages: [.user("Weather in Paris?")], provider: id, tools: [tool]))
            {
                accumulator.add(event)
            }
            let response = try accumulator.response()
            for call in response.toolCalls {
                output.write(label(id, response.model) + "\n")
                output.writeModelText("     → \(call.name)(\(call.arguments))")
                output.write(output.dim("  finish: \(response.finishReason), assembled from streamed fragments") + "\n")
            }
        }
    }

    private func handledErrors() async {
        heading(4, "A handled error", "catch let error as ProviderError where error.kind == .rateLimited")
        let failures: [(ProviderID, SimulatedProvider, SimulatedReply)] = [
            (.openAI, .openAI, .failure(status: 429, code: "rate_limit_exceeded", retryAfter: .seconds(2))),
            (.anthropic, .anthropic, .failure(status: 529)),
            (.gemini, .gemini, .failure(status: 400, type: "INVALID_ARGUMENT", message: "API key not valid.")),
            (.ollama, .ollama, .failure(status: 503)),
        ]
        for (id, simulated, reply) in failures {
            simulator.enqueue(reply, for: simulated)
            do {
                _ = try await client.generateText("Hello", options: .init(provider: id))
                output.write(output.red("   expected an error") + "\n")
            } catch let error as ProviderError {
                output.write(
                    output.green("   \(id.rawValue)") + output.dim(" · kind: ") + output.yellow("\(error.kind)"))
                output.write(output.dim(" · retryable: \(error.isRetryable)") + "\n")
                output.writeModelText("     \(error)\n")
            } catch {
                output.write(output.red("   unexpected error: \(error)") + "\n")
            }
        }
    }

    private func localModel() async throws {
        heading(
            5, "A local model",
            "for try await progress in try await manager.pull(\"qwen2.5:0.5b\") { … }; then client.chat(…)")
        guard let ollama = client.providers.first(where: { $0.id == .ollama }) as? OllamaProvider else { return }
        let model = "qwen2.5:0.5b"
        // Slow the simulated download a little so the bar is visible.
        simulator.setPullFaults([.eventInterval(.milliseconds(30))])
        let manager = LocalModelManager(api: ollama.modelAPI, logger: logger)
        let renderer = PullProgressRenderer(output: output, model: model, indent: "   ")
        do {
            for try await progress in try await manager.pull(model) { renderer.update(progress) }
        } catch {
            renderer.abandon()
            throw error
        }
        renderer.finish()
        simulator.enqueue(
            .text(
                "Answered on this machine: the prompt never left it.",
                usage: SimulatedUsage(inputTokens: 12, outputTokens: 11)),
            for: .ollama)
        let response = try await client.chat(
            ChatRequest(messages: [.user("Where are you running?")], model: model, provider: .ollama))
        output.write(label(.ollama, response.model) + "\n")
        output.writeModelText("     \(response.text)\n")
        if let speed = response.performance?.generationTokensPerSecond {
            output.write(output.dim("     \(Int(speed.rounded())) tokens/s, reported by Ollama") + "\n")
        }
    }

    private func usageSummary() {
        let usage = client.usage().total(period: .daily)
        output.write(
            "\n" + output.bold(output.cyan("Usage so far")) + output.dim("  client.usage().total(period: .daily)")
                + "\n")
        output.write(
            "   \(usage.totalRequests) requests (\(usage.failedRequests) failed) · \(usage.usage.totalInputTokens) tokens in"
                + " · \(usage.usage.outputTokens) tokens out · \(usage.totalCost)"
                + (usage.unpricedRequests > 0 ? " + \(usage.unpricedRequests) of unknown price" : "") + "\n")
        output.write(
            output.dim(
                "\nNo key and no network were used. Next: export OPENAI_API_KEY=… and run `switchboard ask \"hi\"`.\n"))
    }
}

/// Runs a demo step on a transport of its own, shut down afterwards, also when the step throws.
func withDemoTransport(_ body: (HTTPTransport) async throws -> Void) async throws {
    let transport = HTTPTransport()
    do {
        try await body(transport)
    } catch {
        try? await transport.shutdown()
        throw error
    }
    try await transport.shutdown()
}
