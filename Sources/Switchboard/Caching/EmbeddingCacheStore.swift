/// Where the embedding cache keeps vectors, by (provider, model, dimensions, SHA-256 of the input).
public protocol EmbeddingCacheStore: Sendable {
    /// The stored vectors of `inputHashes` for `model`, by hash; missing hashes are absent. Found vectors
    /// count as used now.
    func vectors(for inputHashes: [String], model: EmbeddingModelKey) async throws -> [String: [Float]]

    /// Stores vectors by input hash, then removes the least recently used while there are more than
    /// `maxEntries`.
    func insert(_ vectors: [String: [Float]], model: EmbeddingModelKey, maxEntries: Int?) async throws

    /// Removes the vectors of `models` (any spelling listed), of every provider when `provider` is `nil`;
    /// returns how many.
    @discardableResult
    func removeEmbeddings(models: [String]?, provider: ProviderID?) async throws -> Int

    /// How many vectors are stored.
    func embeddingCount() async throws -> Int
}

/// The model an embedding was made with: what the embedding cache keys vectors by besides the input.
public struct EmbeddingModelKey: Hashable, Sendable, CustomStringConvertible {
    public var provider: ProviderID
    /// The model asked for; `default` when the request left it to the provider.
    public var model: String
    /// The dimensions asked for; 0 for the model's own.
    public var dimensions: Int

    public init(provider: ProviderID, model: String?, dimensions: Int?) {
        self.provider = provider
        self.model = model ?? "default"
        self.dimensions = dimensions ?? 0
    }

    /// `provider/model/dimensions`.
    public var description: String { "\(provider)/\(model)/\(dimensions)" }
}

/// An embedding cache in memory, lost at exit.
public actor InMemoryEmbeddingCacheStore: EmbeddingCacheStore {
    private var stored: [EmbeddingModelKey: [String: (vector: [Float], recency: Int)]] = [:]
    private var clock = 0

    public init() {}

    public func vectors(for inputHashes: [String], model: EmbeddingModelKey) -> [String: [Float]] {
        var found: [String: [Float]] = [:]
        for hash in inputHashes {
            guard let entry = stored[model]?[hash] else { continue }
            clock += 1
            stored[model]?[hash] = (entry.vector, clock)
            found[hash] = entry.vector
        }
        return found
    }

    public func insert(_ vectors: [String: [Float]], model: EmbeddingModelKey, maxEntries: Int?) {
        for (hash, vector) in vectors {
            clock += 1
            stored[model, default: [:]][hash] = (vector, clock)
        }
        guard let maxEntries else { return }
        let count = embeddingCount()
        guard count > maxEntries else { return }
        let all = stored.flatMap { model, entries in entries.map { (model, $0.key, $0.value.recency) } }
        for (model, hash, _) in all.sorted(by: { $0.2 < $1.2 }).prefix(count - maxEntries) {
            stored[model]?[hash] = nil
        }
    }

    public func removeEmbeddings(models: [String]?, provider: ProviderID?) -> Int {
        var removed = 0
        for key in stored.keys {
            if let provider, key.provider != provider { continue }
            if let models, !models.contains(key.model) { continue }
            removed += stored[key]?.count ?? 0
            stored[key] = nil
        }
        return removed
    }

    public func embeddingCount() -> Int { stored.values.reduce(0) { $0 + $1.count } }
}
