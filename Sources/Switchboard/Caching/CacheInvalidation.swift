import Foundation

/// Which cache entries to remove: every given condition must hold; with none, all entries.
public struct CacheInvalidation: Hashable, Sendable, CustomStringConvertible {
    /// Entries whose answering or requested model is one of these.
    public var models: [String]?
    /// Entries answered by this provider.
    public var provider: ProviderID?
    /// Entries stored with this tag.
    public var tag: String?
    /// Entries whose scope contains this component, written `name=value` (`feature=search`, `key=k_1`),
    /// or exactly this scope when it is a whole ``CacheScope/rawValue`` (`|…|`).
    public var scope: String?
    /// Only entries expired at this time.
    public var expiredAt: Date?
    /// Entries whose prompt vector one of these embedding models made (semantic entries).
    public var embeddingModels: [String]?

    public init(
        models: [String]? = nil, provider: ProviderID? = nil, tag: String? = nil, scope: String? = nil,
        expiredAt: Date? = nil, embeddingModels: [String]? = nil
    ) {
        self.models = models
        self.provider = provider
        self.tag = tag
        self.scope = scope
        self.expiredAt = expiredAt
        self.embeddingModels = embeddingModels
    }

    /// Every entry.
    public static let all = CacheInvalidation()

    /// Entries of `model`; for an Ollama name, `llama3.2` and `llama3.2:latest` alike.
    public static func model(_ model: String, provider: ProviderID? = nil) -> CacheInvalidation {
        CacheInvalidation(models: Self.spellings(of: model), provider: provider)
    }

    /// `model`, with and without Ollama's `:latest` tag.
    static func spellings(of model: String) -> [String] {
        let plain = OllamaModelName.withoutLatest(model)
        let normalized = OllamaModelName.normalized(model)
        return Array(Set([model, plain, normalized])).sorted()
    }

    /// `/model/`, as it appears in a semantic entry's `provider/model/dimensions`.
    static func embeddingPattern(_ model: String) -> String { "/\(model)/" }

    /// How ``scope`` is compared with an entry's scope.
    enum ScopeMatch: Hashable {
        /// The whole scope.
        case exact(String)
        /// A `|name=value|` component of the scope.
        case containing(String)
    }

    var scopeMatch: ScopeMatch? {
        guard let scope else { return nil }
        if scope.hasPrefix("|") { return .exact(scope) }
        return .containing(CacheScope.componentPattern(scope) ?? "|\(scope)|")
    }

    /// Whether `entry` is one to remove.
    public func matches(_ entry: ResponseCacheEntry) -> Bool {
        if let models, !models.contains(entry.response.model), !(entry.requestedModel.map(models.contains) ?? false) {
            return false
        }
        if let provider, entry.response.provider != provider { return false }
        if let tag, !entry.tags.contains(tag) { return false }
        switch scopeMatch {
        case .exact(let scope)?: if entry.scope.rawValue != scope { return false }
        case .containing(let pattern)?: if !entry.scope.rawValue.contains(pattern) { return false }
        case nil: break
        }
        if let expiredAt, !entry.isExpired(at: expiredAt) { return false }
        if let embeddingModels {
            guard let identity = entry.semantic?.embeddingModel,
                embeddingModels.contains(where: { identity.contains(Self.embeddingPattern($0)) })
            else { return false }
        }
        return true
    }

    public var description: String {
        var parts: [String] = []
        if let models { parts.append("model \(models.joined(separator: "|"))") }
        if let provider { parts.append("provider \(provider)") }
        if let tag { parts.append("tag \(tag)") }
        if let scope { parts.append("scope \(scope)") }
        if expiredAt != nil { parts.append("expired") }
        if let embeddingModels { parts.append("embedded by \(embeddingModels.joined(separator: "|"))") }
        return parts.isEmpty ? "all" : parts.joined(separator: ", ")
    }
}
