/// Who may use a key and for which models.
///
/// Each list that is not empty must match: a key scoped to the components `billing` and `search`
/// serves only requests whose ``RequestMetadata/component`` is one of them. Model patterns are exact
/// ids or a prefix ending in `*` (`gpt-4o*`). An empty scope lets everyone use the key.
public struct KeyScope: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Components (``RequestMetadata/component``) that may use the key; empty allows any.
    public var components: [String]
    /// Features (``RequestMetadata/feature``) that may use the key; empty allows any.
    public var features: [String]
    /// Users (``RequestMetadata/user``) that may use the key; empty allows any.
    public var users: [String]
    /// Models the key may be used for (exact ids, or prefixes ending in `*`); empty allows any.
    public var models: [String]

    public init(components: [String] = [], features: [String] = [], users: [String] = [], models: [String] = []) {
        self.components = components
        self.features = features
        self.users = users
        self.models = models
    }

    /// A scope that allows every caller and model.
    public static let unrestricted = KeyScope()

    /// Whether the scope restricts nothing.
    public var isUnrestricted: Bool { components.isEmpty && features.isEmpty && users.isEmpty && models.isEmpty }

    /// Whether a request with `metadata` for `model` may use a key with this scope.
    public func allows(_ metadata: RequestMetadata, model: String?) -> Bool {
        Self.matches(components, metadata.component) && Self.matches(features, metadata.feature)
            && Self.matches(users, metadata.user) && allowsModel(model)
    }

    /// Whether the scope allows `model` (a request without a model is allowed only by an empty list).
    public func allowsModel(_ model: String?) -> Bool {
        guard !models.isEmpty else { return true }
        guard let model else { return false }
        return models.contains { pattern in
            pattern.hasSuffix("*") ? model.hasPrefix(pattern.dropLast()) : pattern == model
        }
    }

    private static func matches(_ allowed: [String], _ value: String?) -> Bool {
        allowed.isEmpty || value.map(allowed.contains) == true
    }

    public var description: String {
        guard !isUnrestricted else { return "any" }
        var parts: [String] = []
        if !components.isEmpty { parts.append("components=" + components.joined(separator: ",")) }
        if !features.isEmpty { parts.append("features=" + features.joined(separator: ",")) }
        if !users.isEmpty { parts.append("users=" + users.joined(separator: ",")) }
        if !models.isEmpty { parts.append("models=" + models.joined(separator: ",")) }
        return parts.joined(separator: " ")
    }
}
