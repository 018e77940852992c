import Foundation

/// One provider API key with what Switchboard needs to choose it: a name, a weight, a scope and
/// the time window in which it may be used.
///
/// Its `description` shows the name and fingerprint, never the key.
public struct ManagedKey: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// A name unique per provider, like `prod-1`.
    public var name: String
    /// The provider the key belongs to.
    public var provider: ProviderID
    /// The key itself.
    public var secret: APIKey
    /// The share of traffic under ``KeySelectionStrategy/weighted`` selection (at least 1).
    public var weight: Int
    /// Who may use the key and for which models.
    public var scope: KeyScope
    /// When the key was added.
    public var createdAt: Date
    /// When the key becomes usable and primary (a scheduled rotation); `nil` means from the start.
    public var activatesAt: Date?
    /// When the key stops being used (the end of a rotation's overlap); `nil` means never.
    public var expiresAt: Date?

    public init(
        name: String,
        provider: ProviderID,
        secret: APIKey,
        weight: Int = 1,
        scope: KeyScope = .unrestricted,
        createdAt: Date = Date(timeIntervalSince1970: 0),
        activatesAt: Date? = nil,
        expiresAt: Date? = nil
    ) {
        self.name = name
        self.provider = provider
        self.secret = secret
        self.weight = max(weight, 1)
        self.scope = scope
        self.createdAt = createdAt
        self.activatesAt = activatesAt
        self.expiresAt = expiresAt
    }

    /// The key's ``Fingerprint`` (12 hex digits of its SHA-256), safe to log and store.
    public var fingerprint: String { Fingerprint.of(secret) }

    /// Whether the key may be used at `date`: activated and not expired.
    public func isActive(at date: Date) -> Bool {
        if let activatesAt, date < activatesAt { return false }
        if let expiresAt, date >= expiresAt { return false }
        return true
    }

    public var description: String { "ManagedKey(\(provider)/\(name), \(fingerprint))" }
    public var debugDescription: String { description }
}

extension ManagedKey: CustomReflectable {
    /// A mirror without the secret, so `dump` shows no key.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "name": name, "provider": provider, "fingerprint": fingerprint, "scope": scope,
                "weight": weight,
            ])
    }
}
