import Foundation
import Logging
import Synchronization
import Tracing

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
    /// Plans each request (by task type when routing is configured, else to the pinned or default
    /// provider) and runs the plan with retries, circuit breakers and fallback.
    public let routing: RoutedDispatch
    /// Holds every provider call to its rate limits, when the configuration has `rate_limits`.
    public let rateLimiter: RateLimiter?
    /// The key pool of each provider that has several keys, scoped or scheduled keys, store-backed keys
    /// or an audit trail (see ``KeyConfiguration``); empty for a client built from providers.
    public let keyPools: [ProviderID: KeyPool]
    /// The audit trail writer, when the configuration keeps one; ``AuditLog/flush()`` it before reading.
    public let auditLog: AuditLog?
    /// The response, semantic and embedding caches, when the configuration has `cache`.
    public let responseCache: ResponseCache?
    private let logger: Logger
    private let transport: HTTPTransport?
    private let usageServices: UsageServices
    private let pipeline: RequestPipeline
    /// The connectivity monitor and the outbox (see `LLMClient+Offline.swift`).
    let offline: OfflineServices
    private let isShutDown = Atomic<Bool>(false)

    /// A client for the providers `configuration` names, with the standard stages and then `stages`.
    ///
    /// Every Ollama provider whose configuration sets a local-model policy (`required_models`,
    /// `storage_quota`, `max_loaded_models`, …) gets a ``LocalModelManager`` (see ``localModels``),
    /// keeping usage in the data directory, and a ``LocalModelStage`` before `stages`. With
    /// `rate_limits`, every provider call goes through a ``RateLimiter`` (see ``rateLimiter``).
    ///
    /// `tracer` gets a span per request, per attempt and per HTTP call (default: the bootstrapped
    /// `InstrumentationSystem.tracer`, a no-op until you bootstrap one). With `cache`, answers and
    /// embeddings are cached (see ``responseCache``), by default in `<dataDirectory>/cache.sqlite`, and
    /// a local model's cached answers are dropped when an update changes its digest.
    public convenience init(
        configuration: SwitchboardConfiguration,
        logger: Logger = Logger(label: "switchboard"),
        stages: [any ChatMiddleware] = [],
        tracer: any Tracer = InstrumentationSystem.tracer
    ) throws {
        try configuration.validate()
        let transport = HTTPTransport(configuration: configuration.transport, tracer: tracer)
        let providers: [any LanguageModelProvider]
        let keys: KeyServices
        do {
            providers = try configuration.providers.map { try $0.makeProvider(transport: transport) }
            keys = try KeyServices.make(
                configuration: configuration, providers: providers, transport: transport, logger: logger)
        } catch {
            transport.syncShutdown()
            throw error
        }
        let logger = RedactingLogHandler.wrap(logger, secrets: keys.secrets)
        let responseCache: ResponseCache?
        do {
            responseCache = try ResponseCache.make(
                configuration: configuration.cache, dataDirectory: configuration.dataDirectory,
                providers: keys.providers,
                prices: configuration.usage.prices,
                isSensitive: ResponseCache.sensitivityCheck(routing: configuration.routing), logger: logger)
        } catch {
            transport.syncShutdown()
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
                logger: logger,
                onUpdate: { updates in await responseCache?.modelsUpdated(updates, provider: settings.id) })
            managers[settings.id] = manager
            let isDefault = configuration.defaultProvider.map { $0 == settings.id } ?? (index == 0)
            localStages.append(
                LocalModelStage(manager: manager, provider: settings.id, handlesRequestsWithoutProvider: isDefault))
        }
        let usageStore: (any UsageStore)?
        do {
            usageStore = try UsageServices.store(for: configuration.usage, dataDirectory: configuration.dataDirectory)
        } catch {
            transport.syncShutdown()
            throw error
        }
        let offline: OfflineServices.Parts
        do {
            var settings = configuration.offline
            if settings.cacheLookup == nil { settings.cacheLookup = responseCache }
            offline = try OfflineServices.Parts(
                configuration: settings, providers: keys.providers,
                dataDirectory: configuration.dataDirectory,
                logger: logger)
        } catch {
            transport.syncShutdown()
            throw error
        }
        let rateLimiter = configuration.rateLimits.map { RateLimiter(configuration: $0) }
        let limited = Self.limited(keys.providers, by: rateLimiter)
        self.init(
            providers: keys.providers, rateLimiter: rateLimiter, defaultProvider: configuration.defaultProvider,
            logger: logger, offline: offline, responseCache: responseCache, keyPools: keys.pools,
            auditLog: keys.auditLog,
            requestChecks: [
                ValidationStage(
                    limits: configuration.validation,
                    providerKinds: Dictionary(configuration.providers.map { ($0.id, $0.kind) }) { first, _ in first }),
                StructuredOutputStage(policy: configuration.structuredOutput),
            ],
            observers: Self.requestLogStages(configuration, logger: logger, secrets: keys.secrets.all),
            stages: localStages + stages,
            transport: transport,
            localModels: managers, tracer: tracer, usage: configuration.usage, usageStore: usageStore,
            keyFingerprints: Dictionary(
                configuration.providers.compactMap { settings in
                    settings.apiKey.map { (settings.id, Fingerprint.of($0)) }
                }
            ) { first, _ in first },
            routing: Self.routedDispatch(
                providers: limited, defaultProvider: configuration.defaultProvider,
                configuration: configuration.routing ?? .direct,
                policy: ResiliencePolicy(
                    retry: configuration.resilience.retry,
                    breakers: CircuitBreakerRegistry(policy: configuration.resilience.circuitBreaker),
                    totalDeadline: configuration.resilience.totalDeadline ?? configuration.transport.requestTimeout),
                connectivity: offline.connectivity, tracer: tracer))
    }

    /// A client for providers built by the caller. The caller owns their transport.
    ///
    /// With `routing`, requests that pin no provider are planned by task type and fall back along the
    /// plan; without it they go to the pinned or default provider. Either way every request is retried
    /// and guarded by circuit breakers as `resilience` says. With `health` — a
    /// monitor you run, for example in your `ServiceGroup` — providers it reports down are skipped (when
    /// every external provider is down, only local ones are planned), and every attempt's outcome
    /// updates it. `usage` sets prices, the ledger and budgets; an SQLite ledger that cannot be
    /// opened is logged and left out. With `rateLimiter`, every provider call — each retry and
    /// fallback too — waits for its rate limits (see ``RateLimitedProvider``). `offline` sets when the
    /// client counts as offline, its recovery probes and the outbox (in memory unless it names a store).
    /// With `cache`, answers and embeddings are cached (see ``responseCache``; an SQLite cache needs its
    /// path), and served when offline; a cache that cannot be opened is logged and left out.
    public convenience init(
        providers: [any LanguageModelProvider],
        defaultProvider: ProviderID? = nil,
        logger: Logger = Logger(label: "switchboard"),
        stages: [any ChatMiddleware] = [],
        routing: RoutingConfiguration? = nil,
        resilience: ResiliencePolicy = .init(),
        health: HealthMonitor? = nil,
        tracer: any Tracer = InstrumentationSystem.tracer,
        usage: UsageConfiguration = .init(),
        rateLimiter: RateLimiter? = nil,
        offline: OfflineConfiguration = .init(),
        cache: ResponseCacheConfiguration? = nil
    ) {
        let usageStore: (any UsageStore)?
        do {
            usageStore = try UsageServices.store(for: usage, dataDirectory: nil)
        } catch {
            logger.error("usage ledger could not be opened; not recording", metadata: ["error": "\(error)"])
            usageStore = nil
        }
        let responseCache: ResponseCache?
        do {
            responseCache = try ResponseCache.make(
                configuration: cache, dataDirectory: nil, providers: providers, prices: usage.prices,
                isSensitive: ResponseCache.sensitivityCheck(routing: routing), logger: logger)
        } catch {
            logger.error("response cache could not be opened; not caching", metadata: ["error": "\(error)"])
            responseCache = nil
        }
        var offline = offline
        if offline.cacheLookup == nil { offline.cacheLookup = responseCache }
        let offlineParts: OfflineServices.Parts
        do {
            offlineParts = try OfflineServices.Parts(
                configuration: offline, providers: providers, dataDirectory: nil, logger: logger)
        } catch {
            logger.error("outbox could not be opened; keeping it in memory", metadata: ["error": "\(error)"])
            offlineParts = OfflineServices.Parts(inMemory: offline, providers: providers, logger: logger)
        }
        let limited = Self.limited(providers, by: rateLimiter)
        self.init(
            providers: providers, rateLimiter: rateLimiter, defaultProvider: defaultProvider, logger: logger,
            offline: offlineParts, responseCache: responseCache, stages: stages, transport: nil, localModels: [:],
            tracer: tracer, usage: usage, usageStore: usageStore, keyFingerprints: [:],
            routing: Self.routedDispatch(
                providers: limited, defaultProvider: defaultProvider, configuration: routing ?? .direct,
                policy: resilience, health: health, connectivity: offlineParts.connectivity, tracer: tracer))
    }

    /// `providers`, each wrapped in a ``RateLimitedProvider`` when there is a limiter.
    static func limited(
        _ providers: [any LanguageModelProvider], by limiter: RateLimiter?
    ) -> [any LanguageModelProvider] {
        guard let limiter else { return providers }
        return providers.map { RateLimitedProvider(base: $0, limiter: limiter) }
    }

    /// The request-log stage the configuration asks for, if any.
    static func requestLogStages(
        _ configuration: SwitchboardConfiguration, logger: Logger, secrets: [String] = []
    ) -> [any ChatMiddleware] {
        var sinks: [any RequestLogSink] = []
        if let log = configuration.requestLog {
            if let file = log.file {
                sinks.append(
                    RotatingFileRequestLogSink(
                        path: file, maximumBytes: log.maximumBytes, retainedFiles: log.retainedFiles))
            } else {
                sinks.append(LoggerRequestLogSink(logger: logger))
            }
        }
        if configuration.debug { sinks.append(StandardErrorRequestLogSink()) }
        guard !sinks.isEmpty else { return [] }
        return [
            RequestLogStage(
                sinks: sinks, includesContent: configuration.debug || configuration.requestLog?.includesContent == true,
                secrets: configuration.providers.compactMap { $0.apiKey?.value } + secrets)
        ]
    }

    static func routedDispatch(
        providers: [any LanguageModelProvider], defaultProvider: ProviderID?, configuration: RoutingConfiguration,
        policy: ResiliencePolicy, health: HealthMonitor? = nil, connectivity: ConnectivityMonitor? = nil,
        tracer: any Tracer = InstrumentationSystem.tracer
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
            isDown: { health?.isDown($0) == true || connectivity?.isUnreachable($0) == true })
        return RoutedDispatch(
            router: router, providers: providers, policy: policy, health: health, connectivity: connectivity,
            tracer: tracer)
    }

    private init(
        providers: [any LanguageModelProvider], rateLimiter: RateLimiter?, defaultProvider: ProviderID?,
        logger: Logger, offline: OfflineServices.Parts, responseCache: ResponseCache?,
        keyPools: [ProviderID: KeyPool] = [:],
        auditLog: AuditLog? = nil,
        requestChecks: [any ChatMiddleware] = [ValidationStage(), StructuredOutputStage()],
        observers: [any ChatMiddleware] = [], stages: [any ChatMiddleware], transport: HTTPTransport?,
        localModels: [ProviderID: LocalModelManager],
        tracer: any Tracer, usage: UsageConfiguration, usageStore: (any UsageStore)?,
        keyFingerprints: [ProviderID: String], routing: RoutedDispatch
    ) {
        self.rateLimiter = rateLimiter
        self.keyPools = keyPools
        self.auditLog = auditLog
        self.responseCache = responseCache
        self.localModels = localModels
        self.routing = routing
        self.providers = providers
        self.defaultProvider = defaultProvider
        self.logger = logger
        self.transport = transport
        let usageServices = UsageServices(
            configuration: usage, store: usageStore, providers: providers, defaultProvider: defaultProvider,
            routing: routing, keyFingerprints: keyFingerprints, transport: transport, logger: logger)
        self.usageServices = usageServices
        let pipeline = RequestPipeline(
            stages: TracingStage.stages(for: tracer) + requestChecks + [ObservationStage()] + observers
                + usageServices.stages(enclosing: responseCache.map { [ResponseCacheStage(cache: $0)] } ?? [])
                + stages + [offline.stage(router: routing.router)],
            complete: { request, context in try await routing.complete(request, context: context) },
            stream: { request, context in try await routing.stream(request, context: context) })
        self.pipeline = pipeline
        self.offline = OfflineServices(parts: offline, logger: logger, complete: pipeline.complete)
    }

    /// `logger` redacting every key this client holds from messages and metadata, as the client's own
    /// log lines are: for the logs of a server built around the client (the gateway's and its HTTP
    /// framework's).
    public func redacting(_ logger: Logger) -> Logger {
        guard let own = self.logger.handler as? RedactingLogHandler else { return logger }
        return RedactingLogHandler.wrap(logger, secrets: own.secrets)
    }

    /// Writes the buffered usage-ledger rows, delivers queued budget alerts and closes the client's
    /// connections. Call once, when no request is running.
    public func shutdown() async throws {
        guard !isShutDown.exchange(true, ordering: .relaxed) else { return }
        await usageServices.shutdown()
        await auditLog?.shutdown()
        await responseCache?.flush()
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

    /// Embeds texts with the request's provider (or the default); with a cache, only the inputs not
    /// cached are sent (see ``EmbeddingCache``).
    public func embed(_ request: EmbeddingRequest) async throws -> EmbeddingResponse {
        let dispatch = ProviderDispatch(providers: providers, defaultProvider: defaultProvider)
        let provider = try request.provider.map(dispatch.provider(named:)) ?? dispatch.resolveDefault()
        if let embeddings = responseCache?.embeddings {
            return try await embeddings.embed(request, provider: provider, logger: logger)
        }
        return try await provider.embed(request, logger: logger)
    }

    /// Requests, tokens and cost per provider this day and month, and the budgets' state.
    public func usage() -> UsageTracker { usageServices.tracker }

    /// The ledger writer, `nil` when the configuration keeps no ledger; ``UsageLedger/flush()`` it
    /// before reading its store.
    public var usageLedger: UsageLedger? { usageServices.ledger }

    /// The budgets' running state: those configured and those added with ``addBudget(_:)``.
    public var budgets: BudgetBook { usageServices.budgetStage.book }

    /// Enforces `budget` from now on, counting what the usage ledger already holds for its current
    /// period; `false` when the client has a budget of that name. The gateway adds one per virtual key.
    @discardableResult
    public func addBudget(_ budget: Budget) async throws -> Bool {
        await usageServices.ledger?.flush()
        return try await budgets.add(budget, restoringFrom: usageServices.ledger?.store)
    }

    /// Re-reads the keys of every store-backed pool now (pools also notice a changed store file by
    /// themselves); returns the providers whose keys changed.
    @discardableResult
    public func reloadKeys() throws -> [ProviderID] {
        try keyPools.values.filter { try $0.reload() }.map(\.provider)
    }

    /// The prices costs are computed with.
    public var costCalculator: CostCalculator { usageServices.calculator }

    /// The state of every rate-limited resource (configured or used so far); empty without `rate_limits`.
    public func rateLimits() async throws -> [RateLimitBucketStatus] {
        try await rateLimiter?.statuses() ?? []
    }

    private func makeContext() -> RequestContext {
        let id = RequestIDs.uuid()
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
    tracer: any Tracer = InstrumentationSystem.tracer,
    _ body: (LLMClient) async throws -> Result
) async throws -> Result {
    let client = try LLMClient(configuration: configuration, logger: logger, stages: stages, tracer: tracer)
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
