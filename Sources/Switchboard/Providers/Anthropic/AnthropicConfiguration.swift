/// How to reach the Anthropic Messages API.
public struct AnthropicConfiguration: Sendable {
    public var id: ProviderID
    public var apiKey: APIKey?
    /// Without `/v1` (`ANTHROPIC_BASE_URL`), as the official SDKs take it.
    public var baseURL: BaseURL
    /// The `anthropic-version` header.
    public var version: String
    public var defaultModel: String?
    /// `max_tokens` sent when a request gives none; the API requires one.
    public var defaultMaxTokens: Int

    public static let defaultBaseURL = "https://api.anthropic.com"

    public init(
        id: ProviderID = .anthropic,
        apiKey: APIKey?,
        baseURL: String = AnthropicConfiguration.defaultBaseURL,
        version: String = "2023-06-01",
        defaultModel: String? = "claude-haiku-4-5",
        defaultMaxTokens: Int = 4096
    ) throws {
        self.id = id
        self.apiKey = apiKey
        self.baseURL = try BaseURL(baseURL)
        self.version = version
        self.defaultModel = defaultModel
        self.defaultMaxTokens = defaultMaxTokens
    }
}
