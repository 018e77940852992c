/// How to reach the Gemini API (Generative Language API `v1beta`).
public struct GeminiConfiguration: Sendable {
    public var id: ProviderID
    /// Sent as `x-goog-api-key`, never in the URL (URLs end up in logs).
    public var apiKey: APIKey?
    /// Including the version, like `https://generativelanguage.googleapis.com/v1beta` (`GEMINI_BASE_URL`).
    public var baseURL: BaseURL
    public var defaultModel: String?
    public var defaultEmbeddingModel: String?

    public static let defaultBaseURL = "https://generativelanguage.googleapis.com/v1beta"

    public init(
        id: ProviderID = .gemini,
        apiKey: APIKey?,
        baseURL: String = GeminiConfiguration.defaultBaseURL,
        defaultModel: String? = "gemini-2.5-flash",
        defaultEmbeddingModel: String? = "gemini-embedding-001"
    ) throws {
        self.id = id
        self.apiKey = apiKey
        self.baseURL = try BaseURL(baseURL)
        self.defaultModel = defaultModel
        self.defaultEmbeddingModel = defaultEmbeddingModel
    }
}
