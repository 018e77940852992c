import Foundation

/// A response cache in memory, lost at exit: for tests and for clients that keep no files.
public actor InMemoryResponseCacheStore: ResponseCacheStore {
    private struct Stored {
        var entry: ResponseCacheEntry
        var recency: Int
    }

    private var stored: [CacheKey: Stored] = [:]
    private var clock = 0

    public init() {}

    public nonisolated var isLocal: Bool { true }

    public func entry(for key: CacheKey, now: Date) -> ResponseCacheEntry? {
        guard var found = stored[key], !found.entry.isExpired(at: now) else { return nil }
        clock += 1
        found.recency = clock
        found.entry.hits += 1
        stored[key] = found
        return found.entry
    }

    public func insert(_ entry: ResponseCacheEntry, maxEntries: Int?, now: Date) -> [CacheKey] {
        clock += 1
        stored[entry.key] = Stored(entry: entry, recency: clock)
        var removed = stored.values.filter { $0.entry.isExpired(at: now) }.map(\.entry.key)
        for key in removed { stored[key] = nil }
        if let maxEntries, stored.count > maxEntries {
            let excess = stored.values.sorted { $0.recency < $1.recency }.prefix(stored.count - max(maxEntries, 0))
            for victim in excess {
                stored[victim.entry.key] = nil
                removed.append(victim.entry.key)
            }
        }
        return removed
    }

    public func remove(_ invalidation: CacheInvalidation) -> [CacheKey] {
        let keys = stored.values.filter { invalidation.matches($0.entry) }.map(\.entry.key)
        for key in keys { stored[key] = nil }
        return keys
    }

    public func semanticEntries(now: Date) -> [(key: CacheKey, semantic: ResponseCacheEntry.Semantic)] {
        stored.values.sorted { $0.recency < $1.recency }.compactMap { stored in
            guard let semantic = stored.entry.semantic, !stored.entry.isExpired(at: now) else { return nil }
            return (stored.entry.key, semantic)
        }
    }

    public func statistics(now: Date) -> ResponseCacheStatistics {
        var statistics = ResponseCacheStatistics()
        var models: [String: ResponseCacheStatistics.ModelCount] = [:]
        for stored in stored.values {
            let entry = stored.entry
            statistics.entries += 1
            if entry.isExpired(at: now) { statistics.expiredEntries += 1 }
            if entry.semantic != nil { statistics.semanticEntries += 1 }
            statistics.hits += entry.hits
            let name = entry.response.provider.rawValue + "/" + entry.response.model
            var count =
                models[name]
                ?? .init(provider: entry.response.provider, model: entry.response.model, entries: 0, hits: 0)
            count.entries += 1
            count.hits += entry.hits
            models[name] = count
        }
        statistics.models = ResponseCacheStatistics.sorted(Array(models.values))
        return statistics
    }

    public func flush() {}
}

extension ResponseCacheStatistics {
    /// Most entries first, then by provider and model.
    static func sorted(_ counts: [ModelCount]) -> [ModelCount] {
        counts.sorted {
            ($0.entries, $1.provider.rawValue, $1.model) > ($1.entries, $0.provider.rawValue, $0.model)
        }
    }
}
