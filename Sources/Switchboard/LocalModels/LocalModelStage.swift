/// A pipeline stage for requests to one Ollama provider: before the first request it installs the
/// policy's required models (``LocalModelManager/ensureRequiredOnce()``); after each answer it
/// records the model's use and speed and enforces the memory limits
/// (``LocalModelManager/enforceMemoryLimits()``).
///
/// ``LLMClient/init(configuration:logger:stages:)`` adds one for every Ollama provider whose
/// configuration sets a local-model policy. For providers built by hand, pass one in `stages:`:
///
/// ```swift
/// let manager = LocalModelManager(api: ollama.modelAPI, policy: policy, logger: logger)
/// let client = LLMClient(providers: [ollama], stages: [LocalModelStage(manager: manager, provider: ollama.id)])
/// ```
///
/// A failure to install the required models or to unload is logged, never thrown: the request
/// itself then says what is wrong (for example, that the model is not installed).
public struct LocalModelStage: ChatMiddleware {
    /// The manager of the provider's server.
    public let manager: LocalModelManager
    /// The Ollama provider this stage handles.
    public let provider: ProviderID
    /// Whether requests that name no provider go to this one (it is the client's default).
    public let handlesRequestsWithoutProvider: Bool

    /// A stage for requests to `provider`.
    public init(
        manager: LocalModelManager, provider: ProviderID = .ollama, handlesRequestsWithoutProvider: Bool = false
    ) {
        self.manager = manager
        self.provider = provider
        self.handlesRequestsWithoutProvider = handlesRequestsWithoutProvider
    }

    private func handles(_ request: ChatRequest) -> Bool {
        request.provider.map { $0 == provider } ?? handlesRequestsWithoutProvider
    }

    public func complete(
        _ request: ChatRequest, context: RequestContext, next: ChatHandler
    ) async throws -> ChatResponse {
        guard handles(request) else { return try await next(request, context) }
        await prepare(context: context)
        let response = try await next(request, context)
        if response.provider == provider {
            await finish(model: response.model, performance: response.performance, context: context)
        }
        return response
    }

    public func stream(
        _ request: ChatRequest, context: RequestContext, next: StreamHandler
    ) async throws -> ChatEventStream {
        guard handles(request) else { return try await next(request, context) }
        await prepare(context: context)
        let stream = try await next(request, context)
        return stream.observed(startedAt: context.startedAt) { outcome in
            guard let start = outcome.start, start.provider == provider, outcome.error == nil else { return }
            let performance = outcome.finish?.performance
            Task { await finish(model: start.model, performance: performance, context: context) }
        }
    }

    private func prepare(context: RequestContext) async {
        do {
            try await manager.ensureRequiredOnce()
        } catch {
            context.logger.warning("installing required local models failed", metadata: ["error": "\(error)"])
        }
    }

    private func finish(model: String, performance: GenerationPerformance?, context: RequestContext) async {
        await manager.recordUse(of: model, performance: performance)
        do {
            try await manager.enforceMemoryLimits()
        } catch {
            context.logger.warning("enforcing local model memory limits failed", metadata: ["error": "\(error)"])
        }
    }
}
