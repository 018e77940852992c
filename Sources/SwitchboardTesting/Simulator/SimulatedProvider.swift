/// A provider wire format the ``ProviderSimulator`` speaks.
public enum SimulatedProvider: String, Sendable, CaseIterable {
    /// OpenAI Chat Completions, Models and Embeddings, served under `/openai/v1`.
    case openAI = "openai"
    /// Anthropic Messages and Models, served under `/anthropic/v1`.
    case anthropic

    /// The path prefix every route of this provider starts with.
    var pathPrefix: String {
        switch self {
        case .openAI: "/openai"
        case .anthropic: "/anthropic"
        }
    }
}
