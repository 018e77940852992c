import Foundation

/// One stored answer with what it is found and removed by.
public struct ResponseCacheEntry: Hashable, Sendable {
    /// The prompt vector of an entry made for a semantic request.
    public struct Semantic: Hashable, Sendable {
        /// Hash of everything but the last message, the scope and the embedding model (see ``CacheKey``):
        /// only entries of the same partition are compared.
        public var partition: String
        /// `provider/model/dimensions` of the embedding.
        public var embeddingModel: String
        /// Unit length.
        public var vector: [Float]

        public init(partition: String, embeddingModel: String, vector: [Float]) {
            self.partition = partition
            self.embeddingModel = embeddingModel
            self.vector = vector
        }
    }

    public var key: CacheKey
    public var scope: CacheScope
    public var response: CachedResponse
    /// The model the request asked for (`nil` for the provider's default); the answering model is in
    /// ``response``.
    public var requestedModel: String?
    public var taskType: TaskType?
    public var tags: [String]
    public var createdAt: Date
    /// `nil`: never expires.
    public var expiresAt: Date?
    /// The request was sensitive (cached only where the configuration allows it, in a local store).
    public var sensitive: Bool
    public var semantic: Semantic?
    /// Times the entry answered a request (kept by the store).
    public var hits: Int
    /// What the answer cost when it was stored (its usage at the model's price then): what each hit
    /// saves. `nil` when the price is unknown.
    public var cost: Money?

    public init(
        key: CacheKey, scope: CacheScope, response: CachedResponse, requestedModel: String? = nil,
        taskType: TaskType? = nil, tags: [String] = [], createdAt: Date, expiresAt: Date? = nil,
        sensitive: Bool = false, semantic: Semantic? = nil, hits: Int = 0, cost: Money? = nil
    ) {
        self.key = key
        self.scope = scope
        self.response = response
        self.requestedModel = requestedModel
        self.taskType = taskType
        self.tags = tags
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.sensitive = sensitive
        self.semantic = semantic
        self.hits = hits
        self.cost = cost
    }

    /// Whether the entry is past its expiry at `now`.
    public func isExpired(at now: Date) -> Bool { expiresAt.map { $0 <= now } ?? false }
}
