import Foundation

/// One thing the audit trail records: a key used for a provider call, or a key managed.
///
/// Names keys by name and ``Fingerprint`` only; never holds a key. ``detail`` passes through
/// ``SecretRedactor`` when the event is made.
public struct AuditEvent: Hashable, Sendable {
    /// What happened.
    public struct Action: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A provider call was made with a key (``AuditEvent/outcome`` says how it ended).
        public static let keyUsed = Action(rawValue: "key_used")
        /// A key was added to the store.
        public static let keyAdded = Action(rawValue: "key_added")
        /// A key was removed from the store.
        public static let keyRemoved = Action(rawValue: "key_removed")
        /// A key rotation was scheduled.
        public static let keyRotated = Action(rawValue: "key_rotated")
        /// The provider rejected a key, which is no longer used.
        public static let keyInvalidated = Action(rawValue: "key_invalidated")
        /// The provider rate limited a key, which rests until its limit resets.
        public static let keyRateLimited = Action(rawValue: "key_rate_limited")
        /// A request was refused because no key's scope admits its caller.
        public static let accessDenied = Action(rawValue: "access_denied")
    }

    public var date: Date
    public var action: Action
    public var provider: ProviderID?
    public var model: String?
    public var keyName: String?
    public var keyFingerprint: String?
    /// The calling component, feature and user (``RequestMetadata``), or `cli` for the command.
    public var component: String?
    public var feature: String?
    public var user: String?
    /// `success`, a ``ProviderError/Kind`` (`authentication`, `rateLimited`, …) or `ok` for management.
    public var outcome: String
    /// More, in words; secrets redacted.
    public var detail: String?

    public init(
        date: Date,
        action: Action,
        provider: ProviderID? = nil,
        model: String? = nil,
        keyName: String? = nil,
        keyFingerprint: String? = nil,
        component: String? = nil,
        feature: String? = nil,
        user: String? = nil,
        outcome: String = "ok",
        detail: String? = nil
    ) {
        self.date = date
        self.action = action
        self.provider = provider
        self.model = model
        self.keyName = keyName
        self.keyFingerprint = keyFingerprint
        self.component = component
        self.feature = feature
        self.user = user
        self.outcome = outcome
        self.detail = detail.map(SecretRedactor.redactPatterns(in:))
    }
}

/// An ``AuditEvent`` as stored: numbered, and chained to the entry before it by its hash.
public struct AuditEntry: Hashable, Sendable {
    /// 1 for the first entry, then one more for each.
    public var sequence: Int64
    public var event: AuditEvent
    /// The ``hash`` of the entry before (64 zeros for the first).
    public var previousHash: String
    /// SHA-256 (hex) of ``previousHash`` followed by the entry's canonical form (``AuditChain``).
    public var hash: String

    public init(sequence: Int64, event: AuditEvent, previousHash: String, hash: String) {
        self.sequence = sequence
        self.event = event
        self.previousHash = previousHash
        self.hash = hash
    }
}
