import Logging
import Switchboard
import SwitchboardTesting
import Testing

/// `ProviderDiscovery` against the simulator and a closed port.
@Suite(.timeLimit(.minutes(1))) struct ProviderDiscoveryTests {
    func discover(
        environment: [String: String], configuration: SwitchboardConfiguration = SwitchboardConfiguration(),
        probeTimeout: Duration = .seconds(20), searchesForOllama: Bool = true
    ) async throws -> DiscoveryReport {
        try await withProviders([]) { _, transport in
            await ProviderDiscovery.discover(
                environment: environment, configuration: configuration, transport: transport,
                logger: Logger(label: "test.discovery"), probeTimeout: probeTimeout,
                searchesForOllama: searchesForOllama)
        }
    }

    @Test func findsOllamaAtOLLAMAHOSTAndAddsItToTheConfiguration() async throws {
        try await ProviderSimulator.withSimulator { simulator in
            let report = try await discover(environment: ["OLLAMA_HOST": "127.0.0.1:\(simulator.port)"])
            #expect(!report.isEmpty)
            let ollama = try #require(report.providers.first)
            #expect(report.providers.count == 1)
            #expect(ollama.id == .ollama)
            #expect(ollama.origin == .discovered)
            #expect(ollama.isReachable == true)
            #expect(ollama.isLocal)
            #expect(ollama.endpoint == "http://127.0.0.1:\(simulator.port)")
            #expect(ollama.detail == "Ollama 0.12.0 found running")
            #expect(report.configuration.providers.map(\.id) == [.ollama])
            #expect(report.configuration.providers.first?.baseURL == "http://127.0.0.1:\(simulator.port)")
            #expect(simulator.requests(for: .ollama).map(\.path) == ["/api/version"])
            #expect(
                report.absent.map(\.reason) == [
                    "OPENAI_API_KEY not set", "ANTHROPIC_API_KEY not set", "GEMINI_API_KEY or GOOGLE_API_KEY not set",
                ])
        }
    }

    @Test func configuredOllamaIsProbedWhereConfigured() async throws {
        try await ProviderSimulator.withSimulator { simulator in
            let environment = ["OLLAMA_HOST": "127.0.0.1:\(simulator.port)"]
            let configuration = try SwitchboardConfiguration.load(
                environment: environment, currentDirectory: "/nonexistent")
            let report = try await discover(environment: environment, configuration: configuration)
            let ollama = try #require(report.providers.first)
            #expect(ollama.origin == .configured)
            #expect(ollama.isReachable == true)
            #expect(ollama.detail == "Ollama 0.12.0")
            #expect(report.configuration.providers.count == 1)
            #expect(!report.absent.contains { $0.kind == .ollama })
        }
    }

    @Test func nothingListeningIsReportedFromTheRefusedConnection() async throws {
        let port = try await closedPort()
        // A generous timeout: the answer must come from the refused connection, not from waiting.
        let started = ContinuousClock.now
        let report = try await discover(environment: ["OLLAMA_HOST": "127.0.0.1:\(port)"], probeTimeout: .seconds(30))
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(report.isEmpty)
        #expect(report.configuration.providers.isEmpty)
        let ollama = try #require(report.absent.first { $0.kind == .ollama })
        #expect(ollama.reason.hasPrefix("not running at http://127.0.0.1:\(port)"))
        #expect(ollama.reason.contains("OLLAMA_HOST"))
    }

    @Test func configuredOllamaThatIsNotRunningStaysConfigured() async throws {
        let port = try await closedPort()
        let configuration = SwitchboardConfiguration(providers: [
            ProviderConfiguration(id: .ollama, kind: .ollama, baseURL: "127.0.0.1:\(port)")
        ])
        let report = try await discover(environment: [:], configuration: configuration)
        let ollama = try #require(report.providers.first)
        #expect(ollama.origin == .configured)
        #expect(ollama.isReachable == false)
        #expect(ollama.detail.hasPrefix("not running at"))
    }

    @Test func reportsConfiguredAndCompatibleEndpoints() async throws {
        try await ProviderSimulator.withSimulator { simulator in
            let configuration = SwitchboardConfiguration(providers: [
                ProviderConfiguration(id: .openAI, kind: .openAI, apiKey: APIKey(testOpenAIKey)),
                ProviderConfiguration(id: "local-vllm", kind: .openAI, baseURL: simulator.baseURL(for: .openAI)),
                ProviderConfiguration(id: "proxy", kind: .anthropic, baseURL: "https://llm-proxy.example.com"),
            ])
            let report = try await discover(
                environment: ["OPENAI_API_KEY": testOpenAIKey], configuration: configuration, searchesForOllama: false)
            #expect(report.providers.map(\.id) == [.openAI, "local-vllm", "proxy"])
            #expect(report.providers.allSatisfy { $0.origin == .configured && $0.isReachable == nil })
            #expect(report.providers[0].endpoint == "https://api.openai.com/v1")
            #expect(report.providers[0].detail == "key from OPENAI_API_KEY")
            #expect(!report.providers[0].isLocal)
            #expect(report.providers[1].isLocal)
            #expect(report.providers[1].detail == "openai-compatible endpoint, \(simulator.baseURL(for: .openAI))")
            #expect(report.providers[2].detail.contains("no API key (set ANTHROPIC_API_KEY)"))
            #expect(report.configuration.providers.count == 3)
            // Not searched: nothing was probed, and Ollama is reported as not configured.
            #expect(simulator.requests.isEmpty)
            #expect(report.absent.map(\.id) == [.ollama, .anthropic, .gemini])
            #expect(report.absent.first?.reason == "OLLAMA_HOST not set (not searched)")
        }
    }
}
