import Foundation
import Logging

/// The response cache: exact answers by ``CacheKey``, semantic answers by prompt similarity, both
/// within a ``CacheScope``, kept in a ``ResponseCacheStore`` with TTLs, tags and least-recently-used
/// eviction.
///
/// ``LLMClient`` builds one from ``SwitchboardConfiguration/cache`` and runs it in its pipeline
/// (``ResponseCacheStage``); reach it as ``LLMClient/responseCache`` to look up, invalidate or read
/// statistics:
///
/// ```swift
/// if let cached = await client.responseCache?.lookup(request) { return cached }   // e.g. when offline
/// try await client.responseCache?.invalidate(.model("llama3.2", provider: .ollama))
/// ```
///
/// What is never cached: errors, filtered or unfinished answers, requests that bypass the cache,
/// task types with caching turned off, sensitive requests (unless ``ResponseCacheConfiguration/cachesSensitive``,
/// and then only in a local store) and requests with a temperature above 0 (unless
/// ``ResponseCacheConfiguration/cachesNonzeroTemperature``). A store that fails is logged and the
/// request goes to the provider as if nothing were cached.
public final class ResponseCache: Sendable {
    /// A request's way through the cache.
    struct Plan: Sendable {
        var key: CacheKey
        var scope: CacheScope
        /// `false` for ``CachePolicy/Mode/refresh``: stored, not read.
        var reads: Bool
        var semantic: Bool
        var timeToLive: Duration?
        var sensitive: Bool
    }

    /// A semantic request's partition and prompt vector.
    struct SemanticProbe: Sendable {
        var partition: String
        var vector: [Float]
    }

    public let configuration: ResponseCacheConfiguration
    public let store: any ResponseCacheStore
    /// The embeddings cache ``LLMClient/embed(_:)`` goes through, if any.
    public let embeddings: EmbeddingCache?
    let calculator: CostCalculator
    let logger: Logger
    private let index = SemanticIndex()
    private let embed: (@Sendable (EmbeddingRequest) async throws -> EmbeddingResponse)?
    private let embedderIsLocal: Bool
    private let isSensitive: @Sendable (ChatRequest) -> Bool

    /// A cache over `store`.
    ///
    /// - Parameters:
    ///   - embeddings: the embeddings cache, shared with the client's ``LLMClient/embed(_:)``.
    ///   - calculator: prices answers when they are stored (what a hit saves).
    ///   - embed: embeds prompts for the semantic cache (``ResponseCacheConfiguration/semantic``); `nil`
    ///     turns semantic lookups off.
    ///   - embedderIsLocal: whether `embed` runs on this machine; prompts of sensitive requests are
    ///     embedded only then.
    ///   - isSensitive: whether a request is sensitive beyond its metadata (the routing's classifier).
    public init(
        configuration: ResponseCacheConfiguration, store: any ResponseCacheStore, embeddings: EmbeddingCache? = nil,
        calculator: CostCalculator = CostCalculator(),
        embed: (@Sendable (EmbeddingRequest) async throws -> EmbeddingResponse)? = nil, embedderIsLocal: Bool = false,
        isSensitive: @escaping @Sendable (ChatRequest) -> Bool = { _ in false }, logger: Logger
    ) {
        self.configuration = configuration
        self.store = store
        self.embeddings = embeddings
        self.calculator = calculator
        self.embed = embed
        self.embedderIsLocal = embedderIsLocal
        self.isSensitive = isSensitive
        self.logger = logger
    }

    private var now: Date { configuration.wallClock.now }

    // MARK: Lookup

    /// A request's plan, or why it does not use the cache.
    enum Decision: Sendable {
        case use(Plan)
        case skip(CacheOutcome)
    }

    /// How `request` uses the cache, or why it does not.
    func plan(for request: ChatRequest) -> Decision {
        func skipped(_ reason: String) -> Decision {
            .skip(CacheOutcome(kind: .skipped, reason: reason))
        }
        let policy = request.metadata.cache
        guard configuration.enabled else { return skipped("the cache is turned off") }
        guard policy.mode != .bypass else { return skipped("the request bypasses the cache") }
        let task = request.metadata.taskType.flatMap { configuration.tasks[$0] }
        if let task, !task.enabled, let type = request.metadata.taskType {
            return skipped("caching is off for task type \(type)")
        }
        let sensitive =
            request.metadata.sensitivity == .sensitive || request.metadata.taskType == .sensitiveData
            || isSensitive(request)
        if sensitive, !(configuration.cachesSensitive && store.isLocal) {
            return skipped("the request is sensitive")
        }
        if let temperature = request.temperature, temperature > 0, !configuration.cachesNonzeroTemperature {
            return skipped("the request samples with temperature \(temperature)")
        }
        let scope = CacheScope(metadata: request.metadata, keys: configuration.scopeKeys)
        let wantsSemantic = policy.mode == .semantic || task?.semantic == true
        let timeToLive: Duration? =
            if let requested = policy.timeToLive {
                requested
            } else if let task {
                task.timeToLive(else: configuration.timeToLive)
            } else {
                configuration.timeToLive
            }
        return .use(
            Plan(
                key: CacheKey(request: request, scope: scope), scope: scope, reads: policy.mode != .refresh,
                semantic: wantsSemantic && configuration.semantic != nil && embed != nil
                    && (!sensitive || embedderIsLocal),
                timeToLive: timeToLive, sensitive: sensitive))
    }

    /// The stored answer for `request`, exact or (for a request that opts in) semantic, marked with
    /// ``ChatResponse/cache``; `nil` on a miss or when the request may not use the cache. Nothing is
    /// sent to a chat provider; a semantic lookup embeds the prompt (through the embeddings cache).
    public func lookup(_ request: ChatRequest) async -> ChatResponse? {
        guard case .use(let plan) = plan(for: request), plan.reads else { return nil }
        let started = ContinuousClock.now
        if let hit = await exactHit(plan) {
            return hit.response(outcome: hit.outcome, latency: ContinuousClock.now - started)
        }
        guard plan.semantic, let probe = await semanticProbe(for: request, plan: plan),
            let hit = await semanticHit(probe)
        else { return nil }
        return hit.response(outcome: hit.outcome, latency: ContinuousClock.now - started)
    }

    /// A stored answer and how it was found.
    struct Hit: Sendable {
        var cached: CachedResponse
        var outcome: CacheOutcome

        func response(outcome: CacheOutcome, latency: Duration) -> ChatResponse {
            cached.response(outcome: outcome, latency: latency)
        }
    }

    func exactHit(_ plan: Plan) async -> Hit? {
        do {
            guard let entry = try await store.entry(for: plan.key, now: now) else { return nil }
            return hit(entry, kind: .exact, similarity: nil)
        } catch {
            logger.warning("response cache could not be read", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// The partition and prompt vector of a semantic request; `nil` when its last message is not plain
    /// user text or the embedding fails (logged).
    func semanticProbe(for request: ChatRequest, plan: Plan) async -> SemanticProbe? {
        guard let semantic = configuration.semantic, let embed,
            let probe = CacheKey.semanticProbe(for: request, scope: plan.scope, embeddingModel: semantic.identity)
        else { return nil }
        do {
            var metadata = RequestMetadata(
                taskType: request.metadata.taskType, sensitivity: request.metadata.sensitivity)
            metadata.feature = request.metadata.feature
            let response = try await embed(
                EmbeddingRequest(
                    inputs: [probe.text], model: semantic.model, provider: semantic.provider,
                    dimensions: semantic.dimensions, metadata: metadata))
            guard let vector = response.embeddings.first, !vector.isEmpty else { return nil }
            return SemanticProbe(partition: probe.partition, vector: vector)
        } catch {
            logger.warning(
                "semantic cache could not embed the prompt; exact lookup only", metadata: ["error": "\(error)"])
            return nil
        }
    }

    func semanticHit(_ probe: SemanticProbe) async -> Hit? {
        guard let threshold = configuration.semantic?.threshold else { return nil }
        await loadIndex()
        let candidates = await index.search(probe.vector, partition: probe.partition, threshold: Float(threshold))
        for candidate in candidates {
            do {
                guard let entry = try await store.entry(for: candidate.key, now: now) else {
                    await index.remove([candidate.key])
                    continue
                }
                return hit(entry, kind: .semantic, similarity: Double(candidate.similarity))
            } catch {
                logger.warning("response cache could not be read", metadata: ["error": "\(error)"])
                return nil
            }
        }
        return nil
    }

    private func hit(_ entry: ResponseCacheEntry, kind: CacheOutcome.Kind, similarity: Double?) -> Hit {
        Hit(
            cached: entry.response,
            outcome: CacheOutcome(
                kind: kind, similarity: similarity, savedCost: entry.cost, storedAt: entry.createdAt))
    }

    private func loadIndex() async {
        let logger = self.logger
        await index.loadIfNeeded(from: store, now: now) { error in
            logger.warning("semantic cache index could not be loaded", metadata: ["error": "\(error)"])
        }
    }

    // MARK: Storing

    /// Stores `response` for `request` when it may be cached: a finished answer, never an error.
    func store(_ response: ChatResponse, for request: ChatRequest, plan: Plan, probe: SemanticProbe?) async {
        guard CachedResponse.isCacheable(response.finishReason) else { return }
        let now = self.now
        let semantic = probe.map { probe in
            ResponseCacheEntry.Semantic(
                partition: probe.partition, embeddingModel: configuration.semantic?.identity ?? "", vector: probe.vector
            )
        }
        let entry = ResponseCacheEntry(
            key: plan.key, scope: plan.scope, response: CachedResponse(response), requestedModel: request.model,
            taskType: request.metadata.taskType, tags: request.metadata.cache.tags, createdAt: now,
            expiresAt: plan.timeToLive.map { now.addingTimeInterval($0.seconds) }, sensitive: plan.sensitive,
            semantic: semantic,
            cost: calculator.cost(of: response.usage ?? .zero, provider: response.provider, model: response.model)?
                .total)
        do {
            if semantic != nil { await loadIndex() }
            let removed = try await store.insert(entry, maxEntries: configuration.maxEntries, now: now)
            await index.remove(removed)
            if let semantic { await index.add(key: plan.key, semantic: semantic) }
        } catch {
            logger.warning("response cache could not be written", metadata: ["error": "\(error)"])
        }
    }

    // MARK: Invalidation and statistics

    /// Removes the entries `invalidation` matches (and, for a model, its cached embeddings); returns how
    /// many answers were removed.
    @discardableResult
    public func invalidate(_ invalidation: CacheInvalidation) async throws -> Int {
        let removed = try await store.remove(invalidation)
        await index.remove(removed)
        if let embeddings, invalidation.tag == nil, invalidation.scope == nil, invalidation.expiredAt == nil,
            invalidation.embeddingModels == nil
        {
            try await embeddings.store.removeEmbeddings(models: invalidation.models, provider: invalidation.provider)
        }
        if !removed.isEmpty {
            logger.info(
                "response cache entries invalidated",
                metadata: ["filter": "\(invalidation)", "entries": "\(removed.count)"])
        }
        return removed.count
    }

    /// Removes every entry of `model` (`llama3.2` and `llama3.2:latest` alike) at `provider` (any when
    /// `nil`): call it when a model changes; ``LLMClient`` does for local models whose digest changed.
    @discardableResult
    public func invalidate(model: String, provider: ProviderID? = nil) async throws -> Int {
        try await invalidate(.model(model, provider: provider))
    }

    /// Invalidates the models whose digest `updates` report as changed (not newly installed ones): their
    /// answers, their cached embeddings, and the semantic entries whose prompt vectors they made.
    public func modelsUpdated(_ updates: [LocalModelUpdate], provider: ProviderID) async {
        for update in updates where update.changed && update.previousDigest != nil {
            do {
                try await invalidate(model: update.model, provider: provider)
                try await invalidate(
                    CacheInvalidation(embeddingModels: CacheInvalidation.spellings(of: update.model)))
            } catch {
                logger.warning(
                    "response cache could not drop a changed model's entries",
                    metadata: ["model": "\(update.model)", "error": "\(error)"])
            }
        }
    }

    /// What the store holds now.
    public func statistics() async throws -> ResponseCacheStatistics {
        var statistics = try await store.statistics(now: now)
        if let embeddings { statistics.embeddings = try await embeddings.store.embeddingCount() }
        return statistics
    }

    /// Writes use still buffered in memory (hits, recency); ``LLMClient/shutdown()`` calls it.
    public func flush() async {
        do {
            try await store.flush()
        } catch {
            logger.warning("response cache use could not be written", metadata: ["error": "\(error)"])
        }
    }
}
