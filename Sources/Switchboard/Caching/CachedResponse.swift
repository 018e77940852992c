/// The part of an answer the response cache keeps: what the model said and what it reported.
///
/// Not kept: latency, rate-limit headers, attempts, cost and local timings, which describe the
/// original call rather than the answer.
public struct CachedResponse: Hashable, Sendable {
    /// The provider's id for the original response.
    public var id: String?
    public var text: String
    public var toolCalls: [ToolCall]
    public var finishReason: FinishReason
    public var providerFinishReason: String?
    /// The usage the provider reported for the original answer.
    public var usage: Usage?
    /// The provider and model that answered.
    public var provider: ProviderID
    public var model: String

    public init(
        id: String? = nil, text: String, toolCalls: [ToolCall] = [], finishReason: FinishReason,
        providerFinishReason: String? = nil, usage: Usage?, provider: ProviderID, model: String
    ) {
        self.id = id
        self.text = text
        self.toolCalls = toolCalls
        self.finishReason = finishReason
        self.providerFinishReason = providerFinishReason
        self.usage = usage
        self.provider = provider
        self.model = model
    }

    /// What `response` says, for storing.
    public init(_ response: ChatResponse) {
        self.init(
            id: response.id, text: response.text, toolCalls: response.toolCalls, finishReason: response.finishReason,
            providerFinishReason: response.providerFinishReason, usage: response.usage, provider: response.provider,
            model: response.model)
    }

    /// The stored answer as a response marked with `outcome`.
    public func response(outcome: CacheOutcome, latency: Duration = .zero) -> ChatResponse {
        var response = ChatResponse(
            id: id, message: .assistant(text, toolCalls: toolCalls), finishReason: finishReason,
            providerFinishReason: providerFinishReason, usage: usage, provider: provider, model: model,
            latency: latency, timeToFirstToken: latency)
        response.cache = outcome
        return response
    }

    /// The stored answer as stream events: start, the text in pieces of at most `pieceLength`
    /// characters, one delta per tool call, the usage, and a finish marked with `outcome`.
    public func events(outcome: CacheOutcome, pieceLength: Int = 64) -> [ChatEvent] {
        var pieces: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            let piece = rest.prefix(max(pieceLength, 1))
            pieces.append(String(piece))
            rest = rest.dropFirst(piece.count)
        }
        var finish = StreamFinish(reason: finishReason, providerReason: providerFinishReason)
        finish.cache = outcome
        return ChatEvent.replaying(
            StreamStart(id: id, provider: provider, model: model), textPieces: pieces, toolCalls: toolCalls,
            usage: usage, finish: finish)
    }

    /// Whether an answer that ended this way may be cached: finished, stopped at its limit, or asking
    /// for tool calls; never filtered, paused or unknown.
    static func isCacheable(_ reason: FinishReason) -> Bool {
        [.stop, .stopSequence, .length, .toolCalls].contains(reason)
    }
}
