import Logging

/// What the stages of one request share.
public struct RequestContext: Sendable {
    /// Switchboard's id for the request, in every log line and metric of it.
    public var requestID: String
    /// A logger carrying `request_id`; stages add their own metadata.
    public var logger: Logger
    /// When the request entered the pipeline.
    public var startedAt: ContinuousClock.Instant

    public init(requestID: String, logger: Logger, startedAt: ContinuousClock.Instant = .now) {
        self.requestID = requestID
        self.logger = logger
        self.startedAt = startedAt
    }
}

/// The rest of the pipeline after a stage, for a whole answer.
public typealias ChatHandler = @Sendable (ChatRequest, RequestContext) async throws -> ChatResponse
/// The rest of the pipeline after a stage, for a stream.
public typealias StreamHandler = @Sendable (ChatRequest, RequestContext) async throws -> ChatEventStream

/// One stage of the request pipeline: it may change the request, answer it, or pass it on with
/// `next`, and observe or change what comes back — the way Hummingbird composes middleware.
///
/// Stages run in the order given, the first outermost. A stream stage sees the stream's events
/// by wrapping the ``ChatEventStream`` that `next` returns.
public protocol ChatMiddleware: Sendable {
    func complete(_ request: ChatRequest, context: RequestContext, next: ChatHandler) async throws -> ChatResponse
    func stream(_ request: ChatRequest, context: RequestContext, next: StreamHandler) async throws -> ChatEventStream
}

extension ChatMiddleware {
    public func stream(
        _ request: ChatRequest, context: RequestContext, next: StreamHandler
    ) async throws -> ChatEventStream {
        try await next(request, context)
    }
}
