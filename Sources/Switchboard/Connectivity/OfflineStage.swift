import Logging

/// The last stage before routing: keeps requests working when the external providers cannot be reached.
///
/// Before a request it runs any recovery probe that is due. When the request fails because the
/// providers it needs cannot be reached, the failure becomes a typed `offline` error — unless a
/// provider became unreachable during this very request, in which case the request is planned once
/// more without it (offline: on local providers only) — and a cached answer is served instead when
/// there is one. A failure that has nothing to do with connectivity passes unchanged, as does a
/// request that no provider could serve even online (for example a sensitive one with no local provider).
struct OfflineStage: ChatMiddleware {
    let connectivity: ConnectivityMonitor
    /// Plans requests as if every provider were reachable, to tell "needs a provider that is down"
    /// from "no provider may ever serve this".
    let router: TaskRouter
    /// Consulted before failing with `offline`; `nil` when serving cached answers is off.
    let cache: (any OfflineCacheLookup)?

    func complete(_ request: ChatRequest, context: RequestContext, next: ChatHandler) async throws -> ChatResponse {
        try await serve(
            request, context: context, send: { try await next(request, context) },
            afterReplanning: { response, earlier in
                var response = response
                response.attempts = earlier + response.attempts
                return response
            }, cached: { $0 })
    }

    func stream(_ request: ChatRequest, context: RequestContext, next: StreamHandler) async throws -> ChatEventStream {
        try await serve(
            request, context: context, send: { try await next(request, context) },
            afterReplanning: { stream, _ in stream },
            cached: { ChatEventStream(events: $0.events) })
    }

    /// Sends `request`; when it fails for want of a reachable provider, plans it once more if a provider
    /// became unreachable meanwhile, then answers from the cache, then fails with `offline`.
    private func serve<Answer>(
        _ request: ChatRequest, context: RequestContext, send: () async throws -> Answer,
        afterReplanning: (Answer, [RequestAttempt]) -> Answer, cached: (ChatResponse) -> Answer
    ) async throws -> Answer {
        await connectivity.probeDue()
        let unreachableBefore = connectivity.unreachableProviders
        let failure: ProviderError
        do {
            return try await send()
        } catch let error as ProviderError {
            guard let offline = offlineError(for: error, request: request) else { throw error }
            failure = offline
        }
        var final = failure
        if connectivity.unreachableProviders != unreachableBefore {
            context.logger.info("a provider became unreachable during the request; planning it again without it")
            do {
                return afterReplanning(try await send(), failure.attempts)
            } catch let error as ProviderError {
                guard var offline = offlineError(for: error, request: request) else { throw error }
                offline.attempts = failure.attempts + offline.attempts
                final = offline
            }
        }
        if let answer = await cache?.cachedResponse(for: request, context: context) {
            context.logger.info("offline; answered from the cache")
            return cached(answer)
        }
        throw final
    }

    /// `error` as an `offline` error when it is one: some external provider cannot be reached (the mode
    /// is not online), and the request failed for want of a reachable provider — a network failure of
    /// one that is unreachable, or a plan left empty that would hold an unreachable provider if it could
    /// be reached. `nil` for any other failure.
    func offlineError(for error: ProviderError, request: ChatRequest) -> ProviderError? {
        if error.kind == .offline { return error }
        guard connectivity.mode != .online else { return nil }
        switch error.kind {
        case .network, .timeout:
            // A local model that fails or is slow is not a lost connection.
            guard error.provider.map(connectivity.isUnreachable) ?? true else { return nil }
        case .noRoute:
            // Planned without a candidate (not every candidate skipped, say for open circuits), and with
            // every provider reachable an unreachable one would have been planned.
            guard error.attempts.isEmpty, let plan = try? router.ignoringAvailability().plan(for: request),
                plan.candidates.contains(where: { connectivity.isUnreachable($0.reference.provider) })
            else { return nil }
        default:
            return nil
        }
        let unreachable = connectivity.unreachableProviders.map(\.rawValue).sorted().joined(separator: ", ")
        var offline = ProviderError(
            kind: .offline,
            message: "\(unreachable) cannot be reached and no other provider may serve this request "
                + "(\(error.message)); mark it deferrable to queue it until the connection returns")
        offline.attempts = error.attempts
        return offline
    }
}

extension TaskRouter {
    /// This router, planning as if no provider were down.
    func ignoringAvailability() -> TaskRouter {
        TaskRouter(
            providers: providers, configuration: configuration, defaultProvider: defaultProvider, controls: controls,
            latency: latency, sensitivityCheck: sensitivityCheck, isDown: { _ in false })
    }
}
