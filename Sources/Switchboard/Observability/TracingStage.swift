import Tracing

/// A span per request, named `chat {model}` and of kind client, with the OpenTelemetry GenAI
/// attributes (`gen_ai.operation.name`, `gen_ai.system`, `gen_ai.request.model`,
/// `gen_ai.response.model`, `gen_ai.usage.input_tokens`, `gen_ai.usage.output_tokens`, `error.type`).
///
/// The router adds a child span per attempt, and AsyncHTTPClient a span per HTTP call whose context
/// it injects into the outgoing headers (`traceparent` with a W3C propagator), so a provider's own
/// tracing joins the caller's trace. A stream's span ends when the stream does.
public struct TracingStage: ChatMiddleware {
    public let tracer: any Tracer

    public init(tracer: any Tracer) {
        self.tracer = tracer
    }

    /// The stage for `tracer`, or none without an ``activeTracer(_:)``.
    static func stages(for tracer: any Tracer) -> [any ChatMiddleware] {
        activeTracer(tracer).map { [TracingStage(tracer: $0)] } ?? []
    }

    public func complete(
        _ request: ChatRequest, context: RequestContext, next: ChatHandler
    ) async throws -> ChatResponse {
        let span = startSpan(for: request, context: context)
        do {
            let response = try await ServiceContext.$current.withValue(span.context) {
                try await next(request, context)
            }
            Self.annotate(
                span, provider: response.provider, model: response.model, usage: response.usage,
                attempts: response.attempts.count)
            span.end()
            return response
        } catch {
            Self.fail(span, error)
            throw error
        }
    }

    public func stream(
        _ request: ChatRequest, context: RequestContext, next: StreamHandler
    ) async throws -> ChatEventStream {
        let span = startSpan(for: request, context: context)
        let stream: ChatEventStream
        do {
            stream = try await ServiceContext.$current.withValue(span.context) { try await next(request, context) }
        } catch {
            Self.fail(span, error)
            throw error
        }
        return stream.observed(startedAt: context.startedAt) { outcome in
            Self.annotate(
                span, provider: outcome.start?.provider, model: outcome.start?.model, usage: outcome.usage,
                attempts: outcome.finish?.attempts.count)
            if let error = outcome.error {
                Self.fail(span, error)
            } else {
                if outcome.abandoned { span.attributes["switchboard.abandoned"] = true }
                span.end()
            }
        }
    }

    private func startSpan(for request: ChatRequest, context: RequestContext) -> any Span {
        let model = request.model ?? "default"
        let span = tracer.startSpan("chat \(model)", context: ServiceContext.current ?? .topLevel, ofKind: .client)
        span.attributes["gen_ai.operation.name"] = "chat"
        span.attributes["gen_ai.request.model"] = model
        span.attributes["switchboard.request_id"] = context.requestID
        if let provider = request.provider { span.attributes["gen_ai.system"] = provider.rawValue }
        if let maxTokens = request.maxTokens { span.attributes["gen_ai.request.max_tokens"] = maxTokens }
        if let temperature = request.temperature { span.attributes["gen_ai.request.temperature"] = temperature }
        if let task = request.metadata.taskType { span.attributes["switchboard.task_type"] = task.rawValue }
        return span
    }

    private static func annotate(
        _ span: any Span, provider: ProviderID?, model: String?, usage: Usage?, attempts: Int?
    ) {
        if let provider { span.attributes["gen_ai.system"] = provider.rawValue }
        if let model { span.attributes["gen_ai.response.model"] = model }
        if let usage {
            span.attributes["gen_ai.usage.input_tokens"] = usage.totalInputTokens
            span.attributes["gen_ai.usage.output_tokens"] = usage.outputTokens
            span.attributes["gen_ai.usage.cache_read_tokens"] = usage.cacheReadTokens
        }
        if let attempts { span.attributes["switchboard.attempts"] = attempts }
    }

    private static func fail(_ span: any Span, _ error: any Error) {
        span.attributes["error.type"] = ObservationStage.outcome(of: error)
        if let providerError = error as? ProviderError {
            if let provider = providerError.provider { span.attributes["gen_ai.system"] = provider.rawValue }
            span.attributes["switchboard.attempts"] = providerError.attempts.count
        }
        span.recordError(error)
        span.setStatus(SpanStatus(code: .error))
        span.end()
    }
}
