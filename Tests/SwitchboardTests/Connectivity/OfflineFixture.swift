import Logging
import Switchboard
import SwitchboardTesting

/// Two simulators: `internet` serves the external providers (OpenAI, Anthropic) and is stopped to cut
/// the network; `local` serves Ollama on this machine and stays up.
struct OfflineWorld: Sendable {
    let internet: ProviderSimulator
    let local: ProviderSimulator

    /// A task only external providers may serve.
    static let research: TaskType = "research"
    /// A task no provider may serve, online or not.
    static let nowhere: TaskType = "nowhere"

    /// Routing by task with the default rules, `research` external only and `nowhere` nowhere.
    static var routing: RoutingConfiguration {
        var rules = RoutingConfiguration.defaultRules
        rules[research] = TaskRule(localities: [.external])
        rules[nowhere] = TaskRule(localities: [])
        return RoutingConfiguration(rules: rules)
    }

    /// OpenAI and (unless `anthropic` is false) Anthropic on `internet`, marked external; Ollama on
    /// `local`. No retries; offline after two network failures in a row; the outbox in memory.
    func configuration(anthropic: Bool = true) -> SwitchboardConfiguration {
        var providers = [
            ProviderConfiguration(
                id: .openAI, kind: .openAI, apiKey: APIKey(testOpenAIKey), baseURL: internet.baseURL(for: .openAI),
                isLocal: false)
        ]
        if anthropic {
            providers.append(
                ProviderConfiguration(
                    id: .anthropic, kind: .anthropic, apiKey: APIKey(testAnthropicKey),
                    baseURL: internet.baseURL(for: .anthropic), isLocal: false))
        }
        providers.append(ProviderConfiguration(id: .ollama, kind: .ollama, baseURL: local.baseURL(for: .ollama)))
        var configuration = SwitchboardConfiguration(
            providers: providers,
            transport: TransportConfiguration(requestTimeout: .seconds(60), idleTimeout: .seconds(30)))
        configuration.resilience.retry.maxRetries = 0
        configuration.routing = Self.routing
        return configuration
    }
}

/// Runs `body` with an internet and a local simulator, both shut down afterwards.
func withOfflineWorld<T: Sendable>(_ body: (OfflineWorld) async throws -> T) async throws -> T {
    try await ProviderSimulator.withSimulator { internet in
        try await ProviderSimulator.withSimulator { local in
            try await body(OfflineWorld(internet: internet, local: local))
        }
    }
}

/// Runs `body` with the two simulators and a client of ``OfflineWorld/configuration(anthropic:)``,
/// changed by `configure`.
func withOfflineClient<T: Sendable>(
    logger: Logger = Logger(label: "test"),
    configure: (inout SwitchboardConfiguration, OfflineWorld) -> Void = { _, _ in },
    _ body: (LLMClient, OfflineWorld) async throws -> T
) async throws -> T {
    try await withOfflineWorld { world in
        var configuration = world.configuration()
        configure(&configuration, world)
        return try await withLLMClient(configuration: configuration, logger: logger) { client in
            try await body(client, world)
        }
    }
}

extension ChatRequest {
    /// A request of `task`, routed by the rules of ``OfflineWorld/routing``.
    static func task(_ task: TaskType, _ prompt: String = "Compare two sorting algorithms") -> ChatRequest {
        ChatRequest(messages: [.user(prompt)], metadata: RequestMetadata(taskType: task))
    }
}
