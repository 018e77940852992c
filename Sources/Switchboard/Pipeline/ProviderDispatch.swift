/// Picks the provider a request names, or the default; the last step before the wire.
struct ProviderDispatch: Sendable {
    let providers: [any LanguageModelProvider]
    let defaultProvider: ProviderID?

    static let setupHint =
        "set OPENAI_API_KEY, ANTHROPIC_API_KEY or GEMINI_API_KEY, or OLLAMA_HOST for a local Ollama "
        + "(or OPENAI_BASE_URL for any OpenAI-compatible server), or add providers to switchboard.yaml"

    func provider(for request: ChatRequest) throws -> any LanguageModelProvider {
        try request.provider.map(provider(named:)) ?? resolveDefault()
    }

    func provider(named id: ProviderID) throws -> any LanguageModelProvider {
        if let provider = providers.first(where: { $0.id == id }) { return provider }
        let configured = providers.map(\.id.rawValue)
        if configured.isEmpty {
            throw ProviderError(
                kind: .notConfigured, provider: id, message: "provider '\(id)' is not configured; \(Self.setupHint)")
        }
        throw ProviderError(
            kind: .notConfigured, provider: id,
            message: "provider '\(id)' is not configured; configured: \(configured.joined(separator: ", "))")
    }

    func resolveDefault() throws -> any LanguageModelProvider {
        if let defaultProvider { return try provider(named: defaultProvider) }
        guard let first = providers.first else {
            throw ProviderError(kind: .notConfigured, message: "no provider is configured; \(Self.setupHint)")
        }
        return first
    }
}
