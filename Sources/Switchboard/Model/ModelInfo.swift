import Foundation

/// What a model can do.
public struct ModelCapabilities: OptionSet, Hashable, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let chat = ModelCapabilities(rawValue: 1 << 0)
    public static let streaming = ModelCapabilities(rawValue: 1 << 1)
    public static let tools = ModelCapabilities(rawValue: 1 << 2)
    public static let vision = ModelCapabilities(rawValue: 1 << 3)
    public static let jsonOutput = ModelCapabilities(rawValue: 1 << 4)
    public static let embeddings = ModelCapabilities(rawValue: 1 << 5)
}

/// A model a provider serves.
public struct ModelInfo: Hashable, Sendable {
    public var id: String
    public var provider: ProviderID
    public var displayName: String?
    /// The most input tokens the model takes, when the provider says.
    public var contextWindow: Int?
    /// The most output tokens the model produces, when the provider says.
    public var maxOutputTokens: Int?
    public var capabilities: ModelCapabilities
    public var createdAt: Date?
    public var ownedBy: String?

    public init(
        id: String,
        provider: ProviderID,
        displayName: String? = nil,
        contextWindow: Int? = nil,
        maxOutputTokens: Int? = nil,
        capabilities: ModelCapabilities = [],
        createdAt: Date? = nil,
        ownedBy: String? = nil
    ) {
        self.id = id
        self.provider = provider
        self.displayName = displayName
        self.contextWindow = contextWindow
        self.maxOutputTokens = maxOutputTokens
        self.capabilities = capabilities
        self.createdAt = createdAt
        self.ownedBy = ownedBy
    }
}
