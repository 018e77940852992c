/// One event of a streamed response.
public enum ChatEvent: Hashable, Sendable {
    /// The provider accepted the request; sent once, before any content.
    case started(StreamStart)
    /// A piece of the answer's text.
    case textDelta(String)
    /// A piece of a tool call; pieces with the same `index` belong to one call.
    case toolCallDelta(ToolCallDelta)
    /// Token usage; the last one sent is final.
    case usage(Usage)
    /// The turn is complete.
    case finish(StreamFinish)
}

/// What is known when a stream starts.
public struct StreamStart: Hashable, Sendable {
    public var id: String?
    public var provider: ProviderID
    public var model: String
    public var providerRequestID: String?
    public var rateLimit: RateLimitSnapshot?
    /// The candidates tried before this one answered (failed or skipped), set by routing when the
    /// stream starts delivering; the full list comes with the finish.
    public var earlierAttempts: [RequestAttempt]

    public init(
        id: String? = nil,
        provider: ProviderID,
        model: String,
        providerRequestID: String? = nil,
        rateLimit: RateLimitSnapshot? = nil,
        earlierAttempts: [RequestAttempt] = []
    ) {
        self.id = id
        self.provider = provider
        self.model = model
        self.providerRequestID = providerRequestID
        self.rateLimit = rateLimit
        self.earlierAttempts = earlierAttempts
    }
}

/// A fragment of a streamed tool call.
public struct ToolCallDelta: Hashable, Sendable {
    /// Which call this fragment belongs to, counting from zero within the response.
    public var index: Int
    /// Set on a call's first fragment.
    public var id: String?
    /// Set on a call's first fragment.
    public var name: String?
    /// The next piece of the arguments' JSON text.
    public var argumentsDelta: String
    /// The call's opaque signature (Gemini's `thoughtSignature`), when the model attached one.
    public var signature: String?

    public init(index: Int, id: String? = nil, name: String? = nil, argumentsDelta: String, signature: String? = nil) {
        self.index = index
        self.id = id
        self.name = name
        self.argumentsDelta = argumentsDelta
        self.signature = signature
    }
}

/// How a stream ended.
public struct StreamFinish: Hashable, Sendable {
    public var reason: FinishReason
    public var providerReason: String?
    /// Timings a local runtime reported for the whole request.
    public var performance: GenerationPerformance?
    /// Every candidate tried for this stream, the one that answered last.
    public var attempts: [RequestAttempt] = []
    /// What the stream cost, from the last usage before the finish; set by the client's usage stage,
    /// `nil` when the model's price is unknown.
    public var cost: Cost?
    /// What the response cache did (see ``ChatResponse/cache``); a hit's stream is a replay of the
    /// stored answer.
    public var cache: CacheOutcome?

    public init(reason: FinishReason, providerReason: String? = nil, performance: GenerationPerformance? = nil) {
        self.reason = reason
        self.providerReason = providerReason
        self.performance = performance
    }
}
