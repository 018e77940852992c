import Foundation
import Switchboard

/// A key the gateway hands out to one program or team, stored only as a hash.
///
/// Its identity (``feature``, ``user``, ``component``) goes into every request's metadata, so usage
/// reports, budgets and rate limits see who called. ``requestsPerMinute`` and ``tokensPerMinute`` are
/// enforced by the gateway per key (`VirtualKeyLimits`); ``budgetMicrodollars`` is a hard budget per
/// ``budgetPeriod`` on everything the key's component spends (see ``budget``).
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
    /// The period ``budgetMicrodollars`` is for; monthly when unset.
    public var budgetPeriod: UsagePeriod?
    public var createdAt: Date
    public var revokedAt: Date?

    public init(
        id: String, name: String, secretHash: String, displayPrefix: String, allowedModels: [String] = [],
        feature: String? = nil, user: String? = nil, component: String? = nil, requestsPerMinute: Int? = nil,
        tokensPerMinute: Int? = nil, budgetMicrodollars: Int64? = nil, budgetPeriod: UsagePeriod? = nil,
        createdAt: Date, revokedAt: Date? = nil
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
        self.budgetPeriod = budgetPeriod
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }

    public var isActive: Bool { revokedAt == nil }

    /// The component the key's requests are attributed to: ``component``, or the key's name (unique
    /// among active keys). The caller cannot choose another, so it cannot step outside its budget.
    public var attributedComponent: String { component ?? name }

    /// The hard budget the gateway enforces for this key, named after its id, counting every request
    /// attributed to ``attributedComponent``; `nil` without ``budgetMicrodollars``.
    public var budget: Budget? {
        budgetMicrodollars.map { limit in
            Budget(
                name: "gateway key \(id)", scope: .component(attributedComponent), period: budgetPeriod ?? .monthly,
                limit: Money(microdollars: limit), enforcement: .hard)
        }
    }

    /// Whether this key may use `model` (the name as the caller sent it).
    public func allows(model: String) -> Bool {
        guard !allowedModels.isEmpty else { return true }
        return allowedModels.contains { pattern in
            if pattern.hasSuffix("*") { return model.hasPrefix(pattern.dropLast()) }
            return pattern == model
        }
    }
}
