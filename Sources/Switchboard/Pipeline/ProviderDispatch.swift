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
        throw Self.notConfigured(id, configured: providers.map(\.id))
    }

    /// The error for a request naming a provider that is not among `configured`.
    static func notConfigured(_ id: ProviderID, configured: [ProviderID]) -> ProviderError {
        if configured.isEmpty {
            return ProviderError(
                kind: .notConfigured, provider: id, message: "provider '\(id)' is not configured; \(setupHint)")
        }
        return ProviderError(
            kind: .notConfigured, provider: id,
            message: "provider '\(id)' is not configured; configured: "
                + configured.map(\.rawValue).joined(separator: ", "))
    }

    func resolveDefault() throws -> any LanguageModelProvider {
        if let defaultProvider { return try provider(named: defaultProvider) }
        guard let first = providers.first else {
            throw ProviderError(kind: .notConfigured, message: "no provider is configured; \(Self.setupHint)")
        }
        return first
    }
}
