import Foundation

/// What the response cache did for a request: set on ``ChatResponse/cache`` and ``StreamFinish/cache``
/// when the client has a cache (`nil` otherwise), so a caller or the gateway can say `hit` or `miss`.
public struct CacheOutcome: Hashable, Sendable {
    /// How the request was served.
    ///
    /// A struct rather than an enum so new kinds can be added without breaking a caller's `switch`.
    public struct Kind: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// Answered from an entry for the same canonical request.
        public static let exact = Kind(rawValue: "exact")
        /// Answered from an entry for a similar prompt (cosine similarity at or above the threshold).
        public static let semantic = Kind(rawValue: "semantic")
        /// Looked up, not found; the provider's answer was stored when it could be.
        public static let miss = Kind(rawValue: "miss")
        /// Not looked up: bypassed, sensitive, sampled with temperature, or not cacheable (``CacheOutcome/reason``).
        public static let skipped = Kind(rawValue: "skipped")
    }

    public var kind: Kind
    /// For a semantic hit, the cosine similarity of the prompts.
    public var similarity: Double?
    /// For a hit, what the stored answer cost when it was made (its tokens at the model's price); `nil`
    /// when the price is unknown.
    public var savedCost: Money?
    /// For a hit, when the answer was stored.
    public var storedAt: Date?
    /// For a skipped lookup, why.
    public var reason: String?

    public init(
        kind: Kind, similarity: Double? = nil, savedCost: Money? = nil, storedAt: Date? = nil, reason: String? = nil
    ) {
        self.kind = kind
        self.similarity = similarity
        self.savedCost = savedCost
        self.storedAt = storedAt
        self.reason = reason
    }

    /// Whether the answer came from the cache (and cost nothing).
    public var isHit: Bool { kind == .exact || kind == .semantic }

    /// `hit` or `miss`, as an `x-switchboard-cache` header says it; `nil` when the cache was not used.
    public var headerValue: String? {
        if isHit { return "hit" }
        return kind == .miss ? "miss" : nil
    }
}
