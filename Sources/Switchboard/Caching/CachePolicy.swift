/// How one request uses the response cache (``RequestMetadata/cache``).
///
/// ```swift
/// var request = ChatRequest(messages: [.user("Summarise the report")])
/// request.metadata.cache = CachePolicy(mode: .semantic, tags: ["reports"], timeToLive: .seconds(3600))
/// ```
public struct CachePolicy: Hashable, Sendable {
    /// Whether the cache is read and written for the request.
    ///
    /// A struct rather than an enum so new modes can be added without breaking a caller's `switch`.
    public struct Mode: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// Exact matches, and semantic ones when the request's task type opts in (the configuration's `cache.tasks`).
        public static let automatic = Mode(rawValue: "automatic")
        /// Exact and semantic matches, whatever the task type says.
        public static let semantic = Mode(rawValue: "semantic")
        /// Neither read nor written.
        public static let bypass = Mode(rawValue: "bypass")
        /// Not read, but the fresh answer replaces what was stored.
        public static let refresh = Mode(rawValue: "refresh")
    }

    public var mode: Mode
    /// Labels stored with the answer, so ``ResponseCache/invalidate(_:)`` can remove entries by tag.
    public var tags: [String]
    /// How long the answer stays valid; `nil` uses the task type's or the configuration's TTL.
    public var timeToLive: Duration?

    public init(mode: Mode = .automatic, tags: [String] = [], timeToLive: Duration? = nil) {
        self.mode = mode
        self.tags = tags
        self.timeToLive = timeToLive
    }
}
