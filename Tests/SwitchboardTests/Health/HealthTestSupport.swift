import Logging
import Switchboard
import SwitchboardTesting
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A provider whose health probes answer from a script, for state-machine tests without HTTP.
final class ScriptedHealthProvider: LanguageModelProvider {
    enum Answer: Sendable {
        case healthy(latency: Duration)
        case degraded(String)
        case unavailable(String)
        /// Never answers until the probe is cancelled.
        case hang
    }

    let id: ProviderID
    let isLocal: Bool
    var defaultModel: String? { nil }
    private let state = Mutex<(answers: [Answer], fallback: Answer, probes: Int)>(([], .healthy(latency: .zero), 0))

    init(_ id: ProviderID, isLocal: Bool = false) {
        self.id = id
        self.isLocal = isLocal
    }

    /// Answers for the next probes, in order; after them, `fallback`.
    func script(_ answers: [Answer], then fallback: Answer = .healthy(latency: .milliseconds(10))) {
        state.withLock { $0 = (answers, fallback, $0.probes) }
    }

    var probes: Int { state.withLock { $0.probes } }

    func health(logger: Logger) async -> ProviderHealth {
        let answer = state.withLock { script -> Answer in
            script.probes += 1
            return script.answers.isEmpty ? script.fallback : script.answers.removeFirst()
        }
        switch answer {
        case .healthy(let latency): return ProviderHealth(provider: id, status: .healthy, latency: latency)
        case .degraded(let detail): return ProviderHealth(provider: id, status: .degraded, detail: detail)
        case .unavailable(let detail): return ProviderHealth(provider: id, status: .unavailable, detail: detail)
        case .hang:
            // Cancelled by the monitor's probe timeout; the real duration never matters.
            try? await Task.sleep(for: .seconds(3600))
            return ProviderHealth(provider: id, status: .unavailable, detail: "cancelled")
        }
    }

    func complete(_ request: ChatRequest, logger: Logger) async throws -> ChatResponse {
        throw ProviderError(kind: .invalidRequest, provider: id, message: "health only")
    }

    func stream(_ request: ChatRequest, logger: Logger) async throws -> ChatEventStream {
        throw ProviderError(kind: .invalidRequest, provider: id, message: "health only")
    }

    func models(logger: Logger) async throws -> [ModelInfo] { [] }
}

/// A monitor on a manual clock. The default policy counts a probe as slow only after 60 s: probes
/// measure real time, and a loaded CI machine can take seconds; slowness has its own test.
func makeMonitor(
    _ providers: [any LanguageModelProvider], policy: HealthPolicy = HealthPolicy(degradedLatency: .seconds(60)),
    clock: ManualClock = ManualClock()
) -> HealthMonitor {
    HealthMonitor(providers: providers, policy: policy, clock: PolicyClock(clock), logger: quietLogger)
}

/// Runs `body` with providers built for `configurations` on one transport, shut down afterwards.
func withProviders<T: Sendable>(
    _ configurations: [ProviderConfiguration],
    _ body: ([any LanguageModelProvider], HTTPTransport) async throws -> T
) async throws -> T {
    let transport = HTTPTransport(
        configuration: TransportConfiguration(connectTimeout: .seconds(5), requestTimeout: .seconds(20)))
    do {
        let providers = try configurations.map { try $0.makeProvider(transport: transport) }
        let result = try await body(providers, transport)
        try await transport.shutdown()
        return result
    } catch {
        try? await transport.shutdown()
        throw error
    }
}

/// The four providers pointed at `simulator`.
func simulatedConfigurations(_ simulator: ProviderSimulator) -> [ProviderConfiguration] {
    [
        ProviderConfiguration(
            id: .openAI, kind: .openAI, apiKey: APIKey(testOpenAIKey), baseURL: simulator.baseURL(for: .openAI)),
        ProviderConfiguration(
            id: .anthropic, kind: .anthropic, apiKey: APIKey(testAnthropicKey),
            baseURL: simulator.baseURL(for: .anthropic)),
        ProviderConfiguration(
            id: .gemini, kind: .gemini, apiKey: APIKey(testGeminiKey), baseURL: simulator.baseURL(for: .gemini)),
        ProviderConfiguration(id: .ollama, kind: .ollama, baseURL: simulator.baseURL(for: .ollama)),
    ]
}

/// A logger that prints nothing the tests do not ask for.
let quietLogger: Logger = {
    var logger = Logger(label: "test.health")
    logger.logLevel = .critical
    return logger
}()
