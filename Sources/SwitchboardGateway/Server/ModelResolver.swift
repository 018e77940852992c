import Switchboard

/// Decides which configured provider a model name asked for by an SDK goes to.
///
/// - `auto`, `switchboard` or an empty name: no model and no provider; the client's routing decides.
/// - `<provider>/<model>` where `<provider>` is a configured provider id: that provider, that model.
/// - a name of a known family — `gpt-…`, `o1…`/`o3…`/`o4…`, `chatgpt-…`, `text-embedding-…` (OpenAI),
///   `claude-…` (Anthropic), `gemini-…` (Gemini) — the first configured provider of that kind.
/// - any other name: the first configured Ollama provider when there is one (local model names are free
///   form), else no provider pin, so the client's default provider gets the name as it is.
public struct ModelResolver: Sendable {
    /// The configured providers with the wire format each speaks.
    public let providers: [(id: ProviderID, kind: ProviderKind)]

    public init(providers: [(id: ProviderID, kind: ProviderKind)]) {
        self.providers = providers
    }

    /// A resolver for the providers of a client.
    public init(client: LLMClient) {
        self.init(
            providers: client.providers.compactMap { provider in
                switch (provider as? KeyedProvider)?.template ?? provider {
                case is OpenAIProvider: (provider.id, .openAI)
                case is AnthropicProvider: (provider.id, .anthropic)
                case is GeminiProvider: (provider.id, .gemini)
                case is OllamaProvider: (provider.id, .ollama)
                default: nil
                }
            })
    }

    /// The model to ask for and the provider to pin (`nil`: let routing decide).
    public func resolve(_ requested: String?) -> (model: String?, provider: ProviderID?) {
        guard let requested, !requested.isEmpty, requested != "auto", requested != "switchboard" else {
            return (nil, nil)
        }
        if let slash = requested.firstIndex(of: "/") {
            let prefix = ProviderID(String(requested[..<slash]))
            if providers.contains(where: { $0.id == prefix }) {
                let model = String(requested[requested.index(after: slash)...])
                return (model.isEmpty ? nil : model, prefix)
            }
        }
        if let kind = Self.family(of: requested), let provider = providers.first(where: { $0.kind == kind }) {
            return (requested, provider.id)
        }
        if let local = providers.first(where: { $0.kind == .ollama }) { return (requested, local.id) }
        return (requested, nil)
    }

    static func family(of model: String) -> ProviderKind? {
        let name = model.lowercased()
        let openAIPrefixes = ["gpt-", "chatgpt-", "text-embedding-", "o1", "o3", "o4", "davinci", "babbage", "omni-"]
        if openAIPrefixes.contains(where: name.hasPrefix) { return .openAI }
        if name.hasPrefix("claude") { return .anthropic }
        if name.hasPrefix("gemini") || name.hasPrefix("models/gemini") { return .gemini }
        return nil
    }
}
