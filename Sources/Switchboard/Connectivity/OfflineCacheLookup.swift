/// Answers a request from a response cache when no provider that may serve it can be reached.
///
/// The client consults it (when ``OfflineConfiguration/servesCache`` is on) before it fails a request
/// with `offline` or queues it in the outbox, so exact and semantic cache hits are served even for
/// tasks that normally need an external provider. Return `nil` for a miss.
public protocol OfflineCacheLookup: Sendable {
    /// A cached answer to `request`, or `nil`.
    func cachedResponse(for request: ChatRequest, context: RequestContext) async -> ChatResponse?
}
