import Foundation
import Logging
import Synchronization

/// The one entry point: sends requests through the pipeline to the configured providers.
///
/// ```swift
/// try await withLLMClient(configuration: .load()) { client in
///     print(try await client.generateText("Say hi"))
///     for try await piece in client.generateStream("Count to 5") { print(piece, terminator: "") }
/// }
/// ```
///
/// An `LLMClient` owns an HTTP client; call ``shutdown()`` when done, or use ``withLLMClient(configuration:logger:stages:_:)``.
public final class LLMClient: Sendable {
    public let providers: [any LanguageModelProvider]
    public let defaultProvider: ProviderID?
    /// The local-model managers of the Ollama providers whose configuration sets a
    /// ``LocalModelPolicy``, each with a ``LocalModelStage`` in the pipeline; empty for a client built
    /// from providers.
    public let localModels: [ProviderID: LocalModelManager]
    /// Task routing with retries, breakers and fallback, when the configuration turns it on.
    public let routing: RoutedDispatch?
    /// Holds every provider call to its rate limits, when the configuration has `rate_limits`.
    public let rateLimiter: RateLimiter?
    private let logger: Logger
    private let transport: HTTPTransport?
    private let tally = UsageTallyStage()
    private let pipeline: RequestPipeline
    private let isShutDown = Atomic<Bool>(false)

    /// A client for the providers `configuration` names, with the standard stages and then `stages`.
    ///
    /// Every Ollama provider whose configuration sets a local-model policy (`required_models`,
    /// `storage_quota`, `max_loaded_models`, …) gets a ``LocalModelManager`` (see ``localModels``),
    /// keeping usage in the data directory, and a ``LocalModelStage`` before `stages`. With
    /// `rate_limits`, every provider call goes through a ``RateLimiter`` (see ``rateLimiter``).
    public convenience init(
        configuration: SwitchboardConfiguration,
        logger: Logger = Logger(label: "switchboard"),
        stages: [any ChatMiddleware] = []
    ) throws {
        let transport = HTTPTransport(configuration: configuration.transport)
        let providers: [any LanguageModelProvider]
        do {
            providers = try configuration.providers.map { try $0.makeProvider(transport: transport) }
        } catch {
            try? transport.streamingClient.syncShutdown()
            try? transport.bufferedClient.syncShutdown()
            throw error
        }
        var managers: [ProviderID: LocalModelManager] = [:]
        var localStages: [any ChatMiddleware] = []
        for (index, (settings, provider)) in zip(configuration.providers, providers).enumerated()
        where settings.localModels != LocalModelPolicy() {
            guard let ollama = provider as? OllamaProvider else { continue }
            let manager = LocalModelManager(
                api: ollama.modelAPI, policy: settings.localModels,
                store: FileLocalModelUsageStore(dataDirectory: configuration.dataDirectory, provider: settings.id),
                logger: logger)
            managers[settings.id] = manager
            let isDefault = configuration.defaultProvider.map { $0 == settings.id } ?? (index == 0)
            localStages.append(
                LocalModelStage(manager: manager, provider: settings.id, handlesRequestsWithoutProvider: isDefault))
        }
        let rateLimiter = configuration.rateLimits.map { RateLimiter(configuration: $0) }
        let limited = Self.limited(providers, by: rateLimiter)
        self.init(
            providers: providers, limitedProviders: limited, rateLimiter: rateLimiter,
            defaultProvider: configuration.defaultProvider, logger: logger,
            stages: localStages + stages, transport: transport, localModels: managers,
            routing: configuration.routing.map {
                Self.routedDispatch(
                    providers: limited, defaultProvider: configuration.defaultProvider, configuration: $0,
                    policy: ResiliencePolicy(totalDeadline: configuration.transport.requestTimeout))
            })
    }

    /// A client for providers built by the caller. The caller owns their transport.
    ///
    /// With `routing`, requests that pin no provider are planned by task type, and every request is
    /// retried, guarded by circuit breakers and falls back as `resilience` says. With `health` — a
    /// monitor you run, for example in your `ServiceGroup` — providers it reports down are skipped (when
    /// every external provider is down, only local ones are planned), and every attempt's outcome
    /// updates it. With `rateLimiter`, every provider call — each retry and fallback too — waits for
    /// its rate limits (see ``RateLimitedProvider``).
    public convenience init(
        providers: [any LanguageModelProvider],
        defaultProvider: ProviderID? = nil,
        logger: Logger = Logger(label: "switchboard"),
        stages: [any ChatMiddleware] = [],
        routing: RoutingConfiguration? = nil,
        resilience: ResiliencePolicy = .init(),
        health: HealthMonitor? = nil,
        rateLimiter: RateLimiter? = nil
    ) {
        let limited = Self.limited(providers, by: rateLimiter)
        self.init(
            providers: providers, limitedProviders: limited, rateLimiter: rateLimiter,
            defaultProvider: defaultProvider, logger: logger, stages: stages, transport: nil,
            localModels: [:],
            routing: routing.map {
                Self.routedDispatch(
                    providers: limited, defaultProvider: defaultProvider, configuration: $0, policy: resilience,
                    health: health)
            })
    }

    /// `providers`, each wrapped in a ``RateLimitedProvider`` when there is a limiter.
    static func limited(
        _ providers: [any LanguageModelProvider], by limiter: RateLimiter?
    ) -> [any LanguageModelProvider] {
        guard let limiter else { return providers }
        return providers.map { RateLimitedProvider(base: $0, limiter: limiter) }
    }

    static func routedDispatch(
        providers: [any LanguageModelProvider], defaultProvider: ProviderID?, configuration: RoutingConfiguration,
        policy: ResiliencePolicy, health: HealthMonitor? = nil
    ) -> RoutedDispatch {
        let classifier = PatternSensitivityClassifier()
        let router = TaskRouter(
            providers: providers.map {
                TaskRouter.Provider(id: $0.id, locality: $0.isLocal ? .local : .external, defaultModel: $0.defaultModel)
            },
            configuration: configuration, defaultProvider: defaultProvider,
            sensitivityCheck: { request in
                classifier.findings(in: request).first.map {
                    "it contains \($0.kind) (\($0.redactedExcerpt)) in message \($0.messageIndex)"
                }
            },
            isDown: { health?.isDown($0) ?? false })
        return RoutedDispatch(router: router, providers: providers, policy: policy, health: health)
    }

    private init(
        providers: [any LanguageModelProvider], limitedProviders: [any LanguageModelProvider],
        rateLimiter: RateLimiter?, defaultProvider: ProviderID?, logger: Logger,
        stages: [any ChatMiddleware], transport: HTTPTransport?, localModels: [ProviderID: LocalModelManager],
        routing: RoutedDispatch?
    ) {
        self.rateLimiter = rateLimiter
        self.localModels = localModels
        self.routing = routing
        self.providers = providers
        self.defaultProvider = defaultProvider
        self.logger = logger
        self.transport = transport
        let dispatch = ProviderDispatch(providers: limitedProviders, defaultProvider: defaultProvider)
        self.pipeline = RequestPipeline(
            stages: [ValidationStage(), ObservationStage(), tally] + stages,
            complete: { request, context in
                if let routing { return try await routing.complete(request, context: context) }
                let provider = try dispatch.provider(for: request)
                return try await provider.complete(request, logger: context.logger)
            },
            stream: { request, context in
                if let routing { return try await routing.stream(request, context: context) }
                let provider = try dispatch.provider(for: request)
                return try await provider.stream(request, logger: context.logger)
            })
    }

    /// Closes the client's connections. Call once, when no request is running.
    public func shutdown() async throws {
        guard !isShutDown.exchange(true, ordering: .relaxed) else { return }
        try await transport?.shutdown()
    }

    // MARK: Chat

    /// Sends `request` through the pipeline and returns the whole answer.
    public func chat(_ request: ChatRequest) async throws -> ChatResponse {
        try await pipeline.complete(request, makeContext())
    }

    /// Sends `request` through the pipeline; returns once a provider accepted it.
    public func stream(_ request: ChatRequest) async throws -> ChatEventStream {
        try await pipeline.stream(request, makeContext())
    }

    /// The answer's text to a single prompt.
    public func generateText(_ prompt: String, options: GenerationOptions = .init()) async throws -> String {
        try await chat(options.request(for: prompt)).text
    }

    /// The answer's text to a single prompt, as it is generated.
    public func generateStream(_ prompt: String, options: GenerationOptions = .init()) -> TextStream {
        let request = options.request(for: prompt)
        return TextStream { [self] in try await self.stream(request) }
    }

    // MARK: Models, embeddings, usage

    /// The models of every configured provider. A provider that fails is logged and left out;
    /// when all fail, the first error is thrown.
    public func models() async throws -> [ModelInfo] {
        let logger = self.logger
        let results = await withTaskGroup(of: (Int, Result<[ModelInfo], any Error>).self) { group in
            for (index, provider) in providers.enumerated() {
                group.addTask {
                    do { return (index, .success(try await provider.models(logger: logger))) } catch {
                        return (index, .failure(error))
                    }
                }
            }
            var results: [(Int, Result<[ModelInfo], any Error>)] = []
            for await result in group { results.append(result) }
            return results.sorted { $0.0 < $1.0 }.map(\.1)
        }
        var models: [ModelInfo] = []
        var firstError: (any Error)?
        for result in results {
            switch result {
            case .success(let list): models += list
            case .failure(let error):
                firstError = firstError ?? error
                logger.warning("listing models failed", metadata: ["error": "\(error)"])
            }
        }
        if models.isEmpty, let firstError { throw firstError }
        return models
    }

    /// The models of one provider.
    public func models(provider id: ProviderID) async throws -> [ModelInfo] {
        try await ProviderDispatch(providers: providers, defaultProvider: defaultProvider)
            .provider(named: id).models(logger: logger)
    }

    /// Embeds texts with the request's provider (or the default).
    public func embed(_ request: EmbeddingRequest) async throws -> EmbeddingResponse {
        let dispatch = ProviderDispatch(providers: providers, defaultProvider: defaultProvider)
        let provider = try request.provider.map(dispatch.provider(named:)) ?? dispatch.resolveDefault()
        return try await provider.embed(request, logger: logger)
    }

    /// Requests and tokens used so far by this client.
    public func usage() -> UsageSummary { tally.current }

    /// The state of every rate-limited resource (configured or used so far); empty without `rate_limits`.
    public func rateLimits() async throws -> [RateLimitBucketStatus] {
        try await rateLimiter?.statuses() ?? []
    }

    private func makeContext() -> RequestContext {
        let id = UUID().uuidString.lowercased()
        var logger = self.logger
        logger[metadataKey: "request_id"] = "\(id)"
        return RequestContext(requestID: id, logger: logger)
    }
}

/// Runs `body` with a client for `configuration` and shuts the client down afterwards, also when
/// `body` throws.
public func withLLMClient<Result: Sendable>(
    configuration: SwitchboardConfiguration,
    logger: Logger = Logger(label: "switchboard"),
    stages: [any ChatMiddleware] = [],
    _ body: (LLMClient) async throws -> Result
) async throws -> Result {
    let client = try LLMClient(configuration: configuration, logger: logger, stages: stages)
    let result: Result
    do {
        result = try await body(client)
    } catch {
        try? await client.shutdown()
        throw error
    }
    try await client.shutdown()
    return result
}
