import Foundation

/// The semantic cache's vectors in memory: one ``FlatVectorIndex`` per partition (same scope, model,
/// system prompt, history and embedding model), loaded from the store on first use and kept in step
/// with its inserts and removals.
actor SemanticIndex {
    private var partitions: [String: FlatVectorIndex] = [:]
    private var partitionOfKey: [CacheKey: String] = [:]
    private var loading: Task<Void, Never>?

    /// Reads the store's semantic entries once; later calls return at once. A store that cannot be read
    /// leaves the index empty (the semantic cache then misses until new entries arrive).
    func loadIfNeeded(
        from store: any ResponseCacheStore, now: Date, onError: @escaping @Sendable (any Error) -> Void
    ) async {
        if let loading { return await loading.value }
        let task = Task {
            do {
                for (key, semantic) in try await store.semanticEntries(now: now) {
                    add(key: key, semantic: semantic)
                }
            } catch {
                onError(error)
            }
        }
        loading = task
        await task.value
    }

    /// Adds or replaces the vector of `key`.
    func add(key: CacheKey, semantic: ResponseCacheEntry.Semantic) {
        if let previous = partitionOfKey[key], previous != semantic.partition { remove([key]) }
        var index = partitions[semantic.partition] ?? FlatVectorIndex(dimensions: semantic.vector.count)
        guard index.dimensions == semantic.vector.count else { return }
        index.insert(semantic.vector, for: key)
        guard index.contains(key) else { return }
        partitions[semantic.partition] = index
        partitionOfKey[key] = semantic.partition
    }

    /// Forgets the vectors of `keys`.
    func remove(_ keys: [CacheKey]) {
        for key in keys {
            guard let partition = partitionOfKey.removeValue(forKey: key) else { continue }
            partitions[partition]?.remove(key)
            if partitions[partition]?.count == 0 { partitions[partition] = nil }
        }
    }

    /// The keys in `partition` most similar to `vector`, at least `threshold`, best first.
    func search(
        _ vector: [Float], partition: String, threshold: Float, limit: Int = 4
    ) -> [(key: CacheKey, similarity: Float)] {
        partitions[partition]?.search(vector, threshold: threshold, limit: limit) ?? []
    }

    /// How many vectors are held.
    var count: Int { partitionOfKey.count }
}
