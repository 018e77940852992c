/// One complete assistant turn.
public struct ChatResponse: Hashable, Sendable {
    /// The provider's id for the response.
    public var id: String?
    /// The assistant's message: text parts and tool calls.
    public var message: ChatMessage
    public var finishReason: FinishReason
    /// The provider's own finish value (`end_turn`, `tool_calls`, …) before normalisation.
    public var providerFinishReason: String?
    public var usage: Usage?
    public var provider: ProviderID
    /// The model that answered, as the provider names it.
    public var model: String
    /// The provider's request id (`x-request-id`, `request-id`), for support tickets.
    public var providerRequestID: String?
    /// From sending the request to the last byte.
    public var latency: Duration
    /// From sending the request to the first content (streams) or to the response head.
    public var timeToFirstToken: Duration?
    /// The provider's rate-limit headers on this response.
    public var rateLimit: RateLimitSnapshot?
    /// Timings a local runtime reported (load time, tokens per second).
    public var performance: GenerationPerformance?
    /// Every candidate tried for this answer, the successful one last.
    public var attempts: [RequestAttempt] = []
    /// What the answer cost, set by the client's usage stage; `nil` when the model's price is unknown.
    public var cost: Cost?
    /// What the response cache did: a hit (then the answer cost nothing), a miss, or why it was not
    /// used; `nil` when the client has no cache.
    public var cache: CacheOutcome?

    public init(
        id: String? = nil,
        message: ChatMessage,
        finishReason: FinishReason,
        providerFinishReason: String? = nil,
        usage: Usage?,
        provider: ProviderID,
        model: String,
        providerRequestID: String? = nil,
        latency: Duration = .zero,
        timeToFirstToken: Duration? = nil,
        rateLimit: RateLimitSnapshot? = nil,
        performance: GenerationPerformance? = nil
    ) {
        self.id = id
        self.message = message
        self.finishReason = finishReason
        self.providerFinishReason = providerFinishReason
        self.usage = usage
        self.provider = provider
        self.model = model
        self.providerRequestID = providerRequestID
        self.latency = latency
        self.timeToFirstToken = timeToFirstToken
        self.rateLimit = rateLimit
        self.performance = performance
    }

    /// The answer's text.
    public var text: String { message.text }
    /// The calls the model asks for.
    public var toolCalls: [ToolCall] { message.toolCalls }
}
