/// A provider wire format the ``ProviderSimulator`` speaks.
public enum SimulatedProvider: String, Sendable, CaseIterable {
    /// OpenAI Chat Completions, Models and Embeddings, served under `/openai/v1`.
    case openAI = "openai"
    /// Anthropic Messages and Models, served under `/anthropic/v1`.
    case anthropic
    /// Google Gemini (Generative Language API `v1beta`), served under `/gemini/v1beta`.
    case gemini
    /// Ollama's native API, served at the root (`/api/...` and `GET /`).
    case ollama

    /// The path prefix every route of this provider starts with (empty for Ollama, which lives at the root).
    var pathPrefix: String {
        switch self {
        case .openAI: "/openai"
        case .anthropic: "/anthropic"
        case .gemini: "/gemini"
        case .ollama: ""
        }
    }
}
