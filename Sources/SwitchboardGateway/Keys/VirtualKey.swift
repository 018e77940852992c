import Foundation

/// A key the gateway hands out to one program or team, stored only as a hash.
///
/// Its identity (``feature``, ``user``, ``component``) goes into every request's metadata, so usage
/// reports, budgets and rate limits see who called. ``requestsPerMinute`` and ``tokensPerMinute`` are
/// enforced by the gateway per key (`VirtualKeyLimits`); ``budgetMicrodollars`` is stored and put into
/// the request's tags (see ``GatewayCaller``) but not enforced yet.
public struct VirtualKey: Codable, Hashable, Sendable {
    /// A short public id (`vk_…`), for listing and revoking.
    public var id: String
    public var name: String
    /// Lowercase hex SHA-256 of the secret.
    public var secretHash: String
    /// The secret's first characters, to tell keys apart in listings.
    public var displayPrefix: String
    /// Models this key may ask for; empty allows every model. An entry ending in `*` matches a prefix.
    public var allowedModels: [String]
    public var feature: String?
    public var user: String?
    public var component: String?
    public var requestsPerMinute: Int?
    public var tokensPerMinute: Int?
    /// A spending limit in micro-dollars (exact integers, never floating point).
    public var budgetMicrodollars: Int64?
    public var createdAt: Date
    public var revokedAt: Date?

    public init(
        id: String, name: String, secretHash: String, displayPrefix: String, allowedModels: [String] = [],
        feature: String? = nil, user: String? = nil, component: String? = nil, requestsPerMinute: Int? = nil,
        tokensPerMinute: Int? = nil, budgetMicrodollars: Int64? = nil, createdAt: Date, revokedAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.secretHash = secretHash
        self.displayPrefix = displayPrefix
        self.allowedModels = allowedModels
        self.feature = feature
        self.user = user
        self.component = component
        self.requestsPerMinute = requestsPerMinute
        self.tokensPerMinute = tokensPerMinute
        self.budgetMicrodollars = budgetMicrodollars
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }

    public var isActive: Bool { revokedAt == nil }

    /// Whether this key may use `model` (the name as the caller sent it).
    public func allows(model: String) -> Bool {
        guard !allowedModels.isEmpty else { return true }
        return allowedModels.contains { pattern in
            if pattern.hasSuffix("*") { return model.hasPrefix(pattern.dropLast()) }
            return pattern == model
        }
    }
}
