/// How to reach an OpenAI Chat Completions endpoint: OpenAI itself or any compatible server.
public struct OpenAIConfiguration: Sendable {
    /// The name requests use for this provider; give compatible servers their own.
    public var id: ProviderID
    public var apiKey: APIKey?
    /// Including `/v1`, as the official SDKs take it (`OPENAI_BASE_URL`).
    public var baseURL: BaseURL
    public var organization: String?
    public var project: String?
    public var defaultModel: String?
    /// Model for ``LanguageModelProvider/embed(_:logger:)`` when a request names none.
    public var defaultEmbeddingModel: String?
    /// Sends the deprecated `max_tokens` instead of `max_completion_tokens`, for older compatible servers.
    public var usesLegacyMaxTokens: Bool
    /// Whether the server runs on this machine.
    public var isLocal: Bool

    public static let defaultBaseURL = "https://api.openai.com/v1"

    public init(
        id: ProviderID = .openAI,
        apiKey: APIKey?,
        baseURL: String = OpenAIConfiguration.defaultBaseURL,
        organization: String? = nil,
        project: String? = nil,
        defaultModel: String? = "gpt-4o-mini",
        defaultEmbeddingModel: String? = "text-embedding-3-small",
        usesLegacyMaxTokens: Bool = false,
        isLocal: Bool = false
    ) throws {
        self.id = id
        self.apiKey = apiKey
        self.baseURL = try BaseURL(baseURL)
        self.organization = organization
        self.project = project
        self.defaultModel = defaultModel
        self.defaultEmbeddingModel = defaultEmbeddingModel
        self.usesLegacyMaxTokens = usesLegacyMaxTokens
        self.isLocal = isLocal
    }
}
