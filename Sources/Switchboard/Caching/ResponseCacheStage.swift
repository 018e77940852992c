/// The pipeline stage of the response cache: answers a request from ``ResponseCache`` when it can,
/// and stores what the provider answers when it may.
///
/// ``LLMClient`` places it after usage recording and before budgets, routing and rate limits: a hit
/// reserves no budget, waits for no rate limit and sends nothing, yet is recorded in the ledger as a
/// hit that cost nothing, with what it saved. A streamed request that hits gets the stored answer
/// replayed as a stream. Every answer carries a ``CacheOutcome`` (hit, miss or skipped, and why).
public struct ResponseCacheStage: ChatMiddleware {
    public let cache: ResponseCache

    public init(cache: ResponseCache) { self.cache = cache }

    /// The stored answer for `request`, or `nil` (see ``ResponseCache/lookup(_:)``).
    public func lookup(_ request: ChatRequest) async -> ChatResponse? { await cache.lookup(request) }

    public func complete(
        _ request: ChatRequest, context: RequestContext, next: ChatHandler
    ) async throws -> ChatResponse {
        let plan: ResponseCache.Plan
        switch cache.plan(for: request) {
        case .skip(let skipped):
            var response = try await next(request, context)
            response.cache = skipped
            return response
        case .use(let found): plan = found
        }
        let (hit, probe) = await find(request, plan: plan)
        if let hit {
            context.logger.debug("answered from the response cache", metadata: ["cache": "\(hit.outcome.kind)"])
            return hit.response(outcome: hit.outcome, latency: ContinuousClock.now - context.startedAt)
        }
        var response = try await next(request, context)
        await cache.store(response, for: request, plan: plan, probe: probe)
        response.cache = CacheOutcome(kind: .miss)
        return response
    }

    public func stream(
        _ request: ChatRequest, context: RequestContext, next: StreamHandler
    ) async throws -> ChatEventStream {
        let plan: ResponseCache.Plan
        switch cache.plan(for: request) {
        case .skip(let skipped):
            return try await next(request, context).mapEvents(()) { _, event in
                guard case .finish(var finish) = event else { return event }
                finish.cache = skipped
                return .finish(finish)
            }
        case .use(let found): plan = found
        }
        let (hit, probe) = await find(request, plan: plan)
        if let hit {
            context.logger.debug("answered from the response cache", metadata: ["cache": "\(hit.outcome.kind)"])
            return ChatEventStream(events: hit.cached.events(outcome: hit.outcome))
        }
        let stream = try await next(request, context)
        let cache = self.cache
        return ChatEventStream(
            StoringEventSequence(base: stream) { response in
                await cache.store(response, for: request, plan: plan, probe: probe)
            })
    }

    /// The hit for `request`, else the semantic probe to store its answer with.
    private func find(
        _ request: ChatRequest, plan: ResponseCache.Plan
    ) async -> (ResponseCache.Hit?, ResponseCache.SemanticProbe?) {
        if plan.reads, let hit = await cache.exactHit(plan) { return (hit, nil) }
        guard plan.semantic, let probe = await cache.semanticProbe(for: request, plan: plan) else { return (nil, nil) }
        if plan.reads, let hit = await cache.semanticHit(probe) { return (hit, nil) }
        return (nil, probe)
    }
}
