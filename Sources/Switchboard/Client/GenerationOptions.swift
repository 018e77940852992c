/// The knobs of ``LLMClient/generateText(_:options:)`` and ``LLMClient/generateStream(_:options:)``.
public struct GenerationOptions: Hashable, Sendable {
    public var maxTokens: Int?
    public var temperature: Double?
    /// The model id; `nil` uses the provider's default.
    public var model: String?
    public var stopSequences: [String]
    /// The provider; `nil` uses the configured default.
    public var provider: ProviderID?
    /// A system prompt put before the user's.
    public var system: String?
    public var metadata: RequestMetadata

    public init(
        maxTokens: Int? = nil,
        temperature: Double? = nil,
        model: String? = nil,
        stopSequences: [String] = [],
        provider: ProviderID? = nil,
        system: String? = nil,
        metadata: RequestMetadata = .init()
    ) {
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.model = model
        self.stopSequences = stopSequences
        self.provider = provider
        self.system = system
        self.metadata = metadata
    }

    /// The chat request these options make of `prompt`.
    public func request(for prompt: String) -> ChatRequest {
        var messages: [ChatMessage] = []
        if let system { messages.append(.system(system)) }
        messages.append(.user(prompt))
        return ChatRequest(
            messages: messages, model: model, provider: provider, maxTokens: maxTokens, temperature: temperature,
            stopSequences: stopSequences, metadata: metadata)
    }
}
