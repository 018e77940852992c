import Foundation

/// Something a ``KeyPool`` wants an operator to know. Names keys by name and fingerprint only.
public struct KeyPoolEvent: Hashable, Sendable, CustomStringConvertible {
    /// What happened.
    public enum Kind: String, Hashable, Sendable {
        /// The provider rejected the key (HTTP 401); it is not used again until the keys are reloaded.
        case invalidated
        /// The provider rate limited the key (HTTP 429); it rests until ``KeyPoolEvent/until``.
        case rateLimited = "rate_limited"
        /// A scheduled rotation made this key the primary one.
        case becamePrimary = "became_primary"
        /// The keys were reloaded.
        case reloaded
    }

    public var kind: Kind
    public var provider: ProviderID
    public var keyName: String
    public var fingerprint: String
    /// When it happened.
    public var date: Date
    /// For ``Kind/rateLimited``: when the key may be used again.
    public var until: Date?
    /// Why, in words (a provider's error message, redacted).
    public var detail: String?

    public init(
        kind: Kind, provider: ProviderID, keyName: String, fingerprint: String, date: Date, until: Date? = nil,
        detail: String? = nil
    ) {
        self.kind = kind
        self.provider = provider
        self.keyName = keyName
        self.fingerprint = fingerprint
        self.date = date
        self.until = until
        self.detail = detail
    }

    public var description: String {
        var text = "\(provider) key \(keyName) (\(fingerprint)): \(kind.rawValue)"
        if let until { text += " until \(until.ISO8601Format())" }
        if let detail { text += ": \(detail)" }
        return text
    }
}
