import Foundation
import Switchboard
import SwitchboardTesting
import Testing

/// `switchboard ask` end to end: the real executable against the simulator on loopback.
@Suite(.serialized) struct AskCommandTests {
    static func openAIEnvironment(_ simulator: ProviderSimulator) -> [String: String] {
        ["OPENAI_BASE_URL": simulator.baseURL(for: .openAI), "OPENAI_API_KEY": "sk-cli-test-key-0000000000"]
    }

    @Test func streamsTheAnswerFromAnOpenAICompatibleServer() async throws {
        try await ProviderSimulator.withSimulator { simulator in
            var reply = SimulatedReply.text("Hello from the compatible server.")
            reply.chunkSize = 3
            simulator.enqueue(reply, for: .openAI)
            let result = try await CLIProcess.run(["ask", "hi"], environment: Self.openAIEnvironment(simulator))
            #expect(result.status == 0, "stderr: \(result.stderr)")
            #expect(result.stdout == "Hello from the compatible server.\n")
            let body = try #require(simulator.requests(for: .openAI).last?.json)
            #expect(body["stream"] == true)
            #expect(body["messages"] == [["role": "user", "content": "hi"]])
        }
    }

    @Test func noStreamAndFlags() async throws {
        try await ProviderSimulator.withSimulator { simulator in
            simulator.enqueue(.text("Plain answer."), for: .openAI)
            let result = try await CLIProcess.run(
                [
                    "ask", "--no-stream", "--model", "gpt-test", "--system", "be kind", "--max-tokens", "12",
                    "--temperature", "0.5", "question",
                ],
                environment: Self.openAIEnvironment(simulator))
            #expect(result.status == 0, "stderr: \(result.stderr)")
            #expect(result.stdout == "Plain answer.\n")
            let body = try #require(simulator.requests(for: .openAI).last?.json)
            #expect(body["stream"] == nil)
            #expect(body["model"] == "gpt-test")
            #expect(body["max_completion_tokens"] == 12)
            #expect(body["temperature"] == 0.5)
            #expect(
                body["messages"] == [
                    ["role": "system", "content": "be kind"], ["role": "user", "content": "question"],
                ])
        }
    }

    @Test(arguments: [true, false])
    func anthropicWithJSONOutputCarriesUsage(stream: Bool) async throws {
        try await ProviderSimulator.withSimulator { simulator in
            simulator.enqueue(
                .text("Bonjour.", usage: SimulatedUsage(inputTokens: 9, outputTokens: 3, cachedInputTokens: 4)),
                for: .anthropic)
            let result = try await CLIProcess.run(
                ["ask", "--json", "salut"] + (stream ? [] : ["--no-stream"]),
                environment: [
                    "ANTHROPIC_BASE_URL": simulator.baseURL(for: .anthropic),
                    "ANTHROPIC_API_KEY": "sk-ant-cli-0000000000",
                ])
            #expect(result.status == 0, "stderr: \(result.stderr)")
            let json = try JSONValue.parse(result.stdout)
            #expect(json["text"] == "Bonjour.")
            #expect(json["provider"] == "anthropic")
            #expect(json["finish_reason"] == "stop")
            #expect(json["usage"]?["input_tokens"] == 9)
            #expect(json["usage"]?["cache_read_tokens"] == 4)
            #expect(json["usage"]?["output_tokens"] == 3)
            #expect(json["usage"]?["total_tokens"] == 16)
        }
    }

    @Test func promptFromStdin() async throws {
        try await ProviderSimulator.withSimulator { simulator in
            simulator.enqueue(.text("ok"), for: .openAI)
            let result = try await CLIProcess.run(
                ["ask", "-"], environment: Self.openAIEnvironment(simulator), stdin: "a prompt from a pipe\n")
            #expect(result.status == 0, "stderr: \(result.stderr)")
            #expect(
                simulator.requests(for: .openAI).last?.json?["messages"] == [
                    ["role": "user", "content": "a prompt from a pipe"]
                ])
        }
    }

    @Test func providerFlagPicksTheProvider() async throws {
        try await ProviderSimulator.withSimulator { simulator in
            simulator.enqueue(.text("from claude"), for: .anthropic)
            var environment = Self.openAIEnvironment(simulator)
            environment["ANTHROPIC_BASE_URL"] = simulator.baseURL(for: .anthropic)
            environment["ANTHROPIC_API_KEY"] = "sk-ant-cli-0000000000"
            let result = try await CLIProcess.run(["ask", "--provider", "anthropic", "hi"], environment: environment)
            #expect(result.stdout == "from claude\n")
            #expect(simulator.requests(for: .openAI).isEmpty)
        }
    }

    @Test(arguments: [["--help"], ["ask", "--help"], ["local", "--help"], ["status", "--help"], ["help", "models"]])
    func helpExitsZeroWithUsage(arguments: [String]) async throws {
        let result = try await CLIProcess.run(arguments)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("USAGE:"))
        #expect(!result.stdout.contains("CommandError"))
    }

    @Test func noProviderConfiguredExitsThreeNamingTheVariables() async throws {
        let result = try await CLIProcess.run(["ask", "hi"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("OPENAI_API_KEY"))
        #expect(result.stderr.contains("ANTHROPIC_API_KEY"))
    }

    @Test func usageErrorsExitTwo() async throws {
        #expect(try await CLIProcess.run(["ask", "--max-tokens", "many", "hi"]).status == 2)
        #expect(try await CLIProcess.run(["no-such-command"]).status == 2)
        try await ProviderSimulator.withSimulator { simulator in
            let result = try await CLIProcess.run(
                ["ask", "--temperature", "7", "hi"], environment: Self.openAIEnvironment(simulator))
            #expect(result.status == 2)
            #expect(result.stderr.contains("temperature"))
            #expect(simulator.requests.isEmpty)
        }
    }

    @Test func providerErrorExitsFourWithoutTheKey() async throws {
        try await ProviderSimulator.withSimulator { simulator in
            simulator.requireAPIKey("sk-the-right-key-000000000", for: .openAI)
            let result = try await CLIProcess.run(["ask", "hi"], environment: Self.openAIEnvironment(simulator))
            #expect(result.status == 4)
            #expect(result.stderr.contains("authentication"))
            #expect(!result.stderr.contains("sk-cli-test-key-0000000000"))
        }
    }

    @Test func networkErrorExitsFive() async throws {
        // A port bound but never listening: connections are refused.
        let port = try await closedPort()
        let result = try await CLIProcess.run(
            ["ask", "hi"],
            environment: ["OPENAI_BASE_URL": "http://127.0.0.1:\(port)/v1", "OPENAI_API_KEY": "sk-x-0000000000"])
        #expect(result.status == 5, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("network"))
    }

    @Test func invalidConfigFileExitsThreeNamingTheKey() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write("sb.yaml", "providers:\n  openai:\n    base_urll: https://x\n")
        let result = try await CLIProcess.run(["ask", "hi"], environment: ["SWITCHBOARD_CONFIG": file])
        #expect(result.status == 3)
        #expect(result.stderr.contains("providers.openai.base_urll"))
    }

    @Test func interruptClosesTheUpstreamConnection() async throws {
        try await ProviderSimulator.withSimulator { simulator in
            var reply = SimulatedReply.text(String(repeating: "tick ", count: 400))
            reply.chunkSize = 5
            simulator.enqueue(reply.with(.eventInterval(.milliseconds(20))), for: .openAI)
            let process = try CLIProcess(["ask", "count forever"], environment: Self.openAIEnvironment(simulator))
            let first = await process.firstOutput()
            #expect(first.contains("tick"))
            process.interrupt()
            await simulator.waitForClientDisconnects(1)
            let result = await process.finish()
            #expect(result.status == 130, "stderr: \(result.stderr)")
            #expect(simulator.clientDisconnects == 1)
        }
    }
}

@Suite(.serialized) struct ModelsAndDemoCommandTests {
    @Test func modelsTableAndJSON() async throws {
        try await ProviderSimulator.withSimulator { simulator in
            simulator.setModels(["gpt-x", "gpt-y"], for: .openAI)
            let environment = AskCommandTests.openAIEnvironment(simulator)
            let table = try await CLIProcess.run(["models"], environment: environment)
            #expect(table.status == 0, "stderr: \(table.stderr)")
            #expect(table.stdout.contains("PROVIDER"))
            #expect(table.stdout.contains("gpt-y"))
            let json = try await CLIProcess.run(["models", "--json"], environment: environment)
            let models = try JSONValue.parse(json.stdout)
            guard case .array(let items) = models else {
                Issue.record("not an array: \(json.stdout)")
                return
            }
            #expect(items.compactMap { $0["id"]?.stringValue } == ["gpt-x", "gpt-y"])
            #expect(items.allSatisfy { $0["provider"] == "openai" })
        }
    }

    @Test func demoNeedsNoKeyAndShowsEveryStep() async throws {
        let result = try await CLIProcess.run(["demo"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        for heading in [
            "1. A plain answer", "2. A streamed answer", "3. A tool call", "4. A handled error", "5. A local model",
            "Usage so far",
        ] {
            #expect(result.stdout.contains(heading))
        }
        #expect(result.stdout.contains("get_weather({\"city\":\"Paris\"})"))
        #expect(result.stdout.contains("rateLimited"))
        #expect(result.stdout.contains("overloaded"))
        #expect(result.stdout.contains("6. Routing, fallback and circuit breakers"))
        #expect(result.stdout.contains("kept on this machine"))
        #expect(result.stdout.contains("breaker open"))
        #expect(result.stdout.contains("breaker closed"))
        for provider in ["openai", "anthropic", "gemini", "ollama"] {
            #expect(result.stdout.contains("   \(provider)"), "the demo shows \(provider)")
        }
        #expect(result.stdout.contains("qwen2.5:0.5b: 100% (397.8 MB of 397.8 MB)"))
        #expect(result.stdout.contains("pulled qwen2.5:0.5b"))
        #expect(result.stdout.contains("Answered on this machine"))
        #expect(!result.stdout.contains("\u{1B}["), "no colours when stdout is not a terminal")
    }
}

/// `ask` and `models` against Gemini- and Ollama-compatible servers on loopback.
@Suite(.serialized) struct GeminiAndOllamaCommandTests {
    @Test(arguments: [true, false])
    func geminiAnswers(stream: Bool) async throws {
        try await ProviderSimulator.withSimulator { simulator in
            var reply = SimulatedReply.text("Gemini says hello.")
            reply.chunkSize = 4
            simulator.enqueue(reply, for: .gemini)
            let result = try await CLIProcess.run(
                ["ask", "--provider", "gemini", "hi"] + (stream ? [] : ["--no-stream"]),
                environment: [
                    "GEMINI_BASE_URL": simulator.baseURL(for: .gemini), "GEMINI_API_KEY": "AIzaCliTest000000000000",
                ])
            #expect(result.status == 0, "stderr: \(result.stderr)")
            #expect(result.stdout == "Gemini says hello.\n")
            let path = try #require(simulator.requests(for: .gemini).last?.path)
            #expect(path.contains(stream ? ":streamGenerateContent?alt=sse" : ":generateContent"))
        }
    }

    @Test(arguments: [true, false])
    func ollamaAnswers(stream: Bool) async throws {
        try await ProviderSimulator.withSimulator { simulator in
            simulator.enqueue(.text("Local llama here."), for: .ollama)
            let host = simulator.baseURL(for: .ollama).replacingOccurrences(of: "http://", with: "")
            let result = try await CLIProcess.run(
                ["ask", "--provider", "ollama", "--json", "hi"] + (stream ? [] : ["--no-stream"]),
                environment: ["OLLAMA_HOST": host])
            #expect(result.status == 0, "stderr: \(result.stderr)")
            let json = try JSONValue.parse(result.stdout)
            #expect(json["text"] == "Local llama here.")
            #expect(json["provider"] == "ollama")
            #expect(json["model"] == "llama3.2:latest")
            #expect(simulator.requests(for: .ollama).last?.json?["stream"] == .bool(stream))
        }
    }

    @Test func ollamaNotRunningExitsFiveSayingHowToStartIt() async throws {
        let port = try await closedPort()
        let result = try await CLIProcess.run(
            ["ask", "--provider", "ollama", "hi"], environment: ["OLLAMA_HOST": "127.0.0.1:\(port)"])
        #expect(result.status == 5)
        #expect(result.stderr.contains("ollama serve"))
    }

    @Test func invalidGeminiKeyExitsFour() async throws {
        try await ProviderSimulator.withSimulator { simulator in
            simulator.requireAPIKey("AIzaTheRightOne000000000", for: .gemini)
            let result = try await CLIProcess.run(
                ["ask", "--provider", "gemini", "hi"],
                environment: [
                    "GEMINI_BASE_URL": simulator.baseURL(for: .gemini), "GEMINI_API_KEY": "AIzaWrongKey00000000000",
                ])
            #expect(result.status == 4)
            #expect(result.stderr.contains("authentication"))
            #expect(!result.stderr.contains("AIzaWrongKey00000000000"))
        }
    }

    @Test func modelsListsAllFourProviders() async throws {
        try await ProviderSimulator.withSimulator { simulator in
            let environment = [
                "OPENAI_BASE_URL": simulator.baseURL(for: .openAI), "OPENAI_API_KEY": "sk-cli-0000000000",
                "ANTHROPIC_BASE_URL": simulator.baseURL(for: .anthropic), "ANTHROPIC_API_KEY": "sk-ant-cli-000000",
                "GEMINI_BASE_URL": simulator.baseURL(for: .gemini), "GEMINI_API_KEY": "AIzaCli000000000000000",
                "OLLAMA_HOST": simulator.baseURL(for: .ollama),
            ]
            let result = try await CLIProcess.run(["models", "--json"], environment: environment)
            #expect(result.status == 0, "stderr: \(result.stderr)")
            guard case .array(let items) = try JSONValue.parse(result.stdout) else {
                Issue.record("not a JSON array")
                return
            }
            let providers = Set(items.compactMap { $0["provider"]?.stringValue })
            #expect(providers == ["openai", "anthropic", "gemini", "ollama"])
        }
    }
}

@Suite struct AskAttemptsTests {
    @Test func jsonListsTheAttemptsWhenRoutingIsOn() async throws {
        try await ProviderSimulator.withSimulator { simulator in
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let file = try directory.write(
                "sb.yaml", "routing:\n  tasks:\n    simple: { localities: [local, external] }\n")
            simulator.enqueue(.text("routed"), for: .openAI)
            let result = try await CLIProcess.run(
                ["ask", "--json", "hi"],
                environment: AskCommandTests.openAIEnvironment(simulator).merging(["SWITCHBOARD_CONFIG": file]) { $1 })
            #expect(result.status == 0, "stderr: \(result.stderr)")
            let json = try JSONValue.parse(result.stdout)
            guard case .array(let attempts)? = json["attempts"] else {
                Issue.record("no attempts in \(result.stdout)")
                return
            }
            #expect(attempts.count == 1)
            #expect(attempts.first?["provider"] == "openai")
            #expect(attempts.first?["outcome"] == "success")
        }
    }
}
