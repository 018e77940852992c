/// A request for one assistant turn.
public struct ChatRequest: Hashable, Sendable {
    public var messages: [ChatMessage]
    /// The model id; `nil` uses the provider's configured default.
    public var model: String?
    /// The provider to use; `nil` uses the configured default.
    public var provider: ProviderID?
    public var tools: [ToolDefinition]
    public var toolChoice: ToolChoice?
    public var responseFormat: ResponseFormat
    /// The most tokens to generate. Anthropic requires one; its adapter supplies a default.
    public var maxTokens: Int?
    public var temperature: Double?
    public var topP: Double?
    /// Sample only from the `topK` most likely tokens (Anthropic, Gemini, Ollama; OpenAI has no such parameter
    /// and does not receive it).
    public var topK: Int?
    public var stopSequences: [String]
    public var seed: Int?
    public var metadata: RequestMetadata

    public init(
        messages: [ChatMessage],
        model: String? = nil,
        provider: ProviderID? = nil,
        tools: [ToolDefinition] = [],
        toolChoice: ToolChoice? = nil,
        responseFormat: ResponseFormat = .text,
        maxTokens: Int? = nil,
        temperature: Double? = nil,
        topP: Double? = nil,
        topK: Int? = nil,
        stopSequences: [String] = [],
        seed: Int? = nil,
        metadata: RequestMetadata = .init()
    ) {
        self.messages = messages
        self.model = model
        self.provider = provider
        self.tools = tools
        self.toolChoice = toolChoice
        self.responseFormat = responseFormat
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.topP = topP
        self.topK = topK
        self.stopSequences = stopSequences
        self.seed = seed
        self.metadata = metadata
    }

    /// The system messages' text joined by blank lines, for providers with a top-level system prompt.
    var systemPrompt: String? {
        let parts = messages.filter { $0.role == .system }.map(\.text)
        return parts.isEmpty ? nil : parts.joined(separator: "\n\n")
    }
}
