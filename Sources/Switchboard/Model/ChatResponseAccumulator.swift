/// Builds a ``ChatResponse`` from stream events: joins text, assembles tool calls from their
/// argument fragments, keeps the last usage.
public struct ChatResponseAccumulator: Sendable {
    public private(set) var start: StreamStart?
    public private(set) var text = ""
    public private(set) var usage: Usage?
    public private(set) var finish: StreamFinish?
    private var toolCalls: [Int: ToolCall] = [:]

    public init() {}

    public mutating func add(_ event: ChatEvent) {
        switch event {
        case .started(let start): self.start = start
        case .textDelta(let delta): text += delta
        case .toolCallDelta(let delta):
            var call = toolCalls[delta.index] ?? ToolCall(id: "", name: "", arguments: "")
            if let id = delta.id { call.id = id }
            if let name = delta.name { call.name = name }
            if let signature = delta.signature { call.signature = signature }
            call.arguments += delta.argumentsDelta
            toolCalls[delta.index] = call
        case .usage(let usage): self.usage = usage
        case .finish(let finish): self.finish = finish
        }
    }

    /// The tool calls assembled so far, in index order.
    public var assembledToolCalls: [ToolCall] {
        toolCalls.sorted { $0.key < $1.key }.map(\.value)
    }

    /// The response the events describe; throws when the stream never said it finished.
    public func response() throws -> ChatResponse {
        guard let start else {
            throw ProviderError(kind: .invalidResponse, message: "the stream ended before it started")
        }
        guard let finish else {
            throw ProviderError(
                kind: .streamInterrupted,
                provider: start.provider,
                message: "the stream ended without a finish event",
                providerRequestID: start.providerRequestID
            )
        }
        return ChatResponse(
            id: start.id,
            message: .assistant(text, toolCalls: assembledToolCalls),
            finishReason: finish.reason,
            providerFinishReason: finish.providerReason,
            usage: usage,
            provider: start.provider,
            model: start.model,
            providerRequestID: start.providerRequestID,
            rateLimit: start.rateLimit,
            performance: finish.performance
        )
        .with(attempts: finish.attempts)
        .with(cost: finish.cost)
        .with(cache: finish.cache)
    }
}

extension ChatResponse {
    /// This response with `cost` recorded.
    public func with(cost: Cost?) -> ChatResponse {
        var copy = self
        copy.cost = cost
        return copy
    }

    /// This response with `cache` recorded.
    public func with(cache: CacheOutcome?) -> ChatResponse {
        var copy = self
        copy.cache = cache
        return copy
    }

    /// This response with `attempts` recorded.
    public func with(attempts: [RequestAttempt]) -> ChatResponse {
        var copy = self
        copy.attempts = attempts
        return copy
    }
}
