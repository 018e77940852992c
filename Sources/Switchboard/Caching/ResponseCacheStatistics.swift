/// What a response cache holds: what `switchboard cache stats` prints.
public struct ResponseCacheStatistics: Hashable, Sendable {
    /// Entries per provider and model.
    public struct ModelCount: Hashable, Sendable {
        public var provider: ProviderID
        public var model: String
        public var entries: Int
        public var hits: Int

        public init(provider: ProviderID, model: String, entries: Int, hits: Int) {
            self.provider = provider
            self.model = model
            self.entries = entries
            self.hits = hits
        }
    }

    /// Stored answers, expired ones included until they are purged.
    public var entries: Int
    /// Of ``entries``, those past their expiry.
    public var expiredEntries: Int
    /// Of ``entries``, those with a prompt vector (semantic entries).
    public var semanticEntries: Int
    /// Times stored answers were served, summed over the entries still stored.
    public var hits: Int
    /// Cached embedding vectors.
    public var embeddings: Int
    /// Entries by provider and model, most first.
    public var models: [ModelCount]

    public init(
        entries: Int = 0, expiredEntries: Int = 0, semanticEntries: Int = 0, hits: Int = 0, embeddings: Int = 0,
        models: [ModelCount] = []
    ) {
        self.entries = entries
        self.expiredEntries = expiredEntries
        self.semanticEntries = semanticEntries
        self.hits = hits
        self.embeddings = embeddings
        self.models = models
    }
}
