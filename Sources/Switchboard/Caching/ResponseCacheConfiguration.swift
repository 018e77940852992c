import Foundation

/// How an ``LLMClient`` caches answers and embeddings (the `cache:` section of `switchboard.yaml`).
///
/// ```swift
/// var configuration = SwitchboardConfiguration(providers: [...])
/// configuration.cache = ResponseCacheConfiguration(
///     timeToLive: .seconds(3600), scopeKeys: [.tenant, .feature],
///     tasks: ["faq": .init(semantic: true)], semantic: .init(threshold: 0.95))
/// ```
public struct ResponseCacheConfiguration: Sendable {
    /// Where entries are kept.
    public enum StoreKind: String, Hashable, Sendable, CaseIterable {
        /// In memory (``InMemoryResponseCacheStore``), lost at exit.
        case memory
        /// In the embedded SQLite database (``SQLiteCacheStore``) at ``path``.
        case sqlite
    }

    /// What a task type changes.
    public struct TaskPolicy: Hashable, Sendable {
        /// `false` never caches requests of the task type.
        public var enabled: Bool
        /// The task type's TTL; `nil` uses the configuration's (unless ``expires`` is `false`).
        public var timeToLive: Duration?
        /// `false`: the task type's answers never expire (`ttl: never`).
        public var expires: Bool
        /// Whether its requests also look for semantically similar answers.
        public var semantic: Bool

        public init(enabled: Bool = true, timeToLive: Duration? = nil, expires: Bool = true, semantic: Bool = false) {
            self.enabled = enabled
            self.timeToLive = timeToLive
            self.expires = expires
            self.semantic = semantic
        }

        /// The TTL of the task type's answers: its own, else `fallback`; `nil` when they never expire.
        func timeToLive(else fallback: Duration?) -> Duration? {
            expires ? timeToLive ?? fallback : nil
        }
    }

    /// The semantic cache's embedding and threshold.
    public struct Semantic: Hashable, Sendable {
        /// The provider that embeds prompts; any provider with an embeddings API.
        public var provider: ProviderID
        /// The embedding model; `nil` uses the provider's default embedding model.
        public var model: String?
        /// Shorter vectors, for models that support it; `nil` for the model's own length.
        public var dimensions: Int?
        /// The least cosine similarity that counts as the same question.
        public var threshold: Double

        public init(
            provider: ProviderID = .ollama, model: String? = "nomic-embed-text", dimensions: Int? = nil,
            threshold: Double = 0.95
        ) {
            self.provider = provider
            self.model = model
            self.dimensions = dimensions
            self.threshold = threshold
        }

        /// `provider/model/dimensions`: what the semantic partition records.
        var identity: String { EmbeddingModelKey(provider: provider, model: model, dimensions: dimensions).description }
    }

    /// `false` turns the cache off (the section may stay in the file).
    public var enabled: Bool
    /// `.sqlite` when loaded from a file; ``path`` or `<dataDirectory>/cache.sqlite`.
    public var store: StoreKind
    /// The SQLite file; `nil` means `<dataDirectory>/cache.sqlite`.
    public var path: String?
    /// Stores of your own (PostgreSQL, …); they override ``store``.
    public var responseStore: (any ResponseCacheStore)?
    public var embeddingStore: (any EmbeddingCacheStore)?
    /// How long an answer stays valid; `nil`: until evicted or invalidated.
    public var timeToLive: Duration?
    /// The most answers kept; the least recently used go first. `nil`: no limit.
    public var maxEntries: Int?
    /// The most embedding vectors kept. `nil`: no limit.
    public var maxEmbeddings: Int?
    /// The request metadata that separates answers (see ``CacheScope``).
    public var scopeKeys: [CacheScope.Key]
    /// Whether answers to sensitive requests may be cached (only ever in a local store).
    public var cachesSensitive: Bool
    /// Whether answers sampled with a temperature above 0 may be cached. A request that sets no
    /// temperature counts as cacheable.
    public var cachesNonzeroTemperature: Bool
    /// Per task type: off, TTL, semantic opt-in.
    public var tasks: [TaskType: TaskPolicy]
    /// The semantic cache; `nil` turns it off even for requests that opt in.
    public var semantic: Semantic?
    /// The wall clock entries expire by; injectable so tests move through TTLs without waiting.
    public var wallClock: WallClock

    public init(
        enabled: Bool = true, store: StoreKind = .memory, path: String? = nil,
        responseStore: (any ResponseCacheStore)? = nil, embeddingStore: (any EmbeddingCacheStore)? = nil,
        timeToLive: Duration? = .seconds(24 * 3600), maxEntries: Int? = 10_000, maxEmbeddings: Int? = 100_000,
        scopeKeys: [CacheScope.Key] = [.tenant, .apiKey, .feature], cachesSensitive: Bool = false,
        cachesNonzeroTemperature: Bool = false, tasks: [TaskType: TaskPolicy] = [:], semantic: Semantic? = .init(),
        wallClock: WallClock = .system
    ) {
        self.enabled = enabled
        self.store = store
        self.path = path
        self.responseStore = responseStore
        self.embeddingStore = embeddingStore
        self.timeToLive = timeToLive
        self.maxEntries = maxEntries
        self.maxEmbeddings = maxEmbeddings
        self.scopeKeys = scopeKeys
        self.cachesSensitive = cachesSensitive
        self.cachesNonzeroTemperature = cachesNonzeroTemperature
        self.tasks = tasks
        self.semantic = semantic
        self.wallClock = wallClock
    }
}
