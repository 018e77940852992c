/// When no provider that may serve a request can be reached, the client asks the cache before it fails
/// the request with `offline` or queues it (see ``OfflineConfiguration/servesCache``): the same exact
/// and semantic lookup the cache stage makes, so a request that bypasses the cache still bypasses it.
extension ResponseCache: OfflineCacheLookup {
    public func cachedResponse(for request: ChatRequest, context: RequestContext) async -> ChatResponse? {
        await lookup(request)
    }
}
