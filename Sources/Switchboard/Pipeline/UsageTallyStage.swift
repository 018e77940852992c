import Synchronization

/// Counts requests and tokens in memory, including the partial usage of broken streams.
final class UsageTallyStage: ChatMiddleware {
    private let summary = Mutex(UsageSummary())

    var current: UsageSummary { summary.withLock { $0 } }

    func complete(_ request: ChatRequest, context: RequestContext, next: ChatHandler) async throws -> ChatResponse {
        do {
            let response = try await next(request, context)
            summary.withLock { $0.add(provider: response.provider, usage: response.usage, failed: false) }
            return response
        } catch {
            summary.withLock { $0.add(provider: (error as? ProviderError)?.provider, usage: nil, failed: true) }
            throw error
        }
    }

    func stream(_ request: ChatRequest, context: RequestContext, next: StreamHandler) async throws -> ChatEventStream {
        let stream: ChatEventStream
        do {
            stream = try await next(request, context)
        } catch {
            summary.withLock { $0.add(provider: (error as? ProviderError)?.provider, usage: nil, failed: true) }
            throw error
        }
        return stream.observed(startedAt: context.startedAt) { outcome in
            self.summary.withLock {
                $0.add(provider: outcome.start?.provider, usage: outcome.usage, failed: outcome.error != nil)
            }
        }
    }
}
