import Foundation

/// Writes one ``RequestLogEntry`` per request to its sinks: ids, provider, model, task, tokens,
/// latency, outcome and every attempt; with ``includesContent`` (debug mode) also the prompt and the
/// answer, with secrets redacted. A stream's entry is written when the stream ends.
public struct RequestLogStage: ChatMiddleware {
    public let sinks: [any RequestLogSink]
    public let includesContent: Bool
    /// Known secrets (configured keys) removed from content besides anything shaped like a key.
    let secrets: [String]
    let now: @Sendable () -> Date

    public init(
        sinks: [any RequestLogSink], includesContent: Bool = false, secrets: [String] = [],
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.sinks = sinks
        self.includesContent = includesContent
        self.secrets = secrets
        self.now = now
    }

    public func complete(
        _ request: ChatRequest, context: RequestContext, next: ChatHandler
    ) async throws -> ChatResponse {
        do {
            let response = try await next(request, context)
            var entry = entry(for: request, context: context, streamed: false, outcome: "success")
            entry.provider = response.provider.rawValue
            entry.model = response.model
            entry.tokens = response.usage.map(RequestLogEntry.Tokens.init)
            entry.costUSD = response.cost?.total.exactDecimalString
            entry.timeToFirstTokenMilliseconds = response.timeToFirstToken.map { Int($0.nanoseconds / 1_000_000) }
            entry.attempts = response.attempts.map(RequestLogEntry.Attempt.init)
            if includesContent { entry.response = redact(response.text) }
            write(entry)
            return response
        } catch {
            write(failureEntry(error, request: request, context: context, streamed: false))
            throw error
        }
    }

    public func stream(
        _ request: ChatRequest, context: RequestContext, next: StreamHandler
    ) async throws -> ChatEventStream {
        let stream: ChatEventStream
        do {
            stream = try await next(request, context)
        } catch {
            write(failureEntry(error, request: request, context: context, streamed: true))
            throw error
        }
        let collectsText = includesContent
        let text = TextCollector()
        let observed = stream.observed(startedAt: context.startedAt) { outcome in
            var entry: RequestLogEntry
            if let error = outcome.error {
                entry = failureEntry(error, request: request, context: context, streamed: true)
            } else {
                entry = self.entry(
                    for: request, context: context, streamed: true,
                    outcome: outcome.abandoned ? "abandoned" : "success")
                entry.attempts = outcome.finish?.attempts.map(RequestLogEntry.Attempt.init) ?? []
            }
            entry.provider = outcome.start?.provider.rawValue ?? entry.provider
            entry.model = outcome.start?.model ?? entry.model
            entry.tokens = outcome.usage.map(RequestLogEntry.Tokens.init)
            entry.costUSD = outcome.finish?.cost?.total.exactDecimalString
            entry.timeToFirstTokenMilliseconds = outcome.timeToFirstToken.map { Int($0.nanoseconds / 1_000_000) }
            entry.latencyMilliseconds = Int(outcome.duration.nanoseconds / 1_000_000)
            if collectsText { entry.response = redact(text.text) }
            write(entry)
        }
        guard collectsText else { return observed }
        return observed.collectingText(into: text)
    }

    private func entry(
        for request: ChatRequest, context: RequestContext, streamed: Bool, outcome: String
    ) -> RequestLogEntry {
        RequestLogEntry(
            time: now(), requestID: context.requestID, provider: request.provider?.rawValue, model: request.model,
            taskType: request.metadata.taskType?.rawValue, feature: request.metadata.feature,
            user: request.metadata.user, streamed: streamed, outcome: outcome, error: nil,
            latencyMilliseconds: Int((ContinuousClock.now - context.startedAt).nanoseconds / 1_000_000),
            timeToFirstTokenMilliseconds: nil, tokens: nil, attempts: [],
            prompt: includesContent ? request.messages.map { "\($0.role.rawValue): \(redact($0.text))" } : nil,
            response: nil)
    }

    private func failureEntry(
        _ error: any Error, request: ChatRequest, context: RequestContext, streamed: Bool
    ) -> RequestLogEntry {
        var entry = entry(
            for: request, context: context, streamed: streamed, outcome: ObservationStage.outcome(of: error))
        if let error = error as? ProviderError {
            entry.provider = error.provider?.rawValue ?? entry.provider
            entry.attempts = error.attempts.map(RequestLogEntry.Attempt.init)
            entry.tokens = error.partialUsage.map(RequestLogEntry.Tokens.init)
            entry.error = redact(error.message)
        } else {
            entry.error = redact(String(describing: type(of: error)))
        }
        return entry
    }

    private func redact(_ text: String) -> String { SecretRedactor.redact(text, secrets: secrets) }

    private func write(_ entry: RequestLogEntry) {
        for sink in sinks { sink.write(entry) }
    }
}
