import Foundation
import Yams

extension ConfigurationFileParser {
    /// The `cache:` section: the response, semantic and embedding caches.
    ///
    /// ```yaml
    /// cache:
    ///   ttl: 24h                      # or never
    ///   max_entries: 10000
    ///   scope: [tenant, key, feature] # also user, component, tag.<name>
    ///   cache_sensitive: false
    ///   cache_nonzero_temperature: false
    ///   semantic: { provider: ollama, model: nomic-embed-text, threshold: 0.95 }
    ///   tasks:
    ///     faq: { ttl: 168h, semantic: true }
    ///     creative: { enabled: false }
    /// ```
    func cache(_ node: Node) throws -> ResponseCacheConfiguration {
        let settings = try mapping(
            node, path: "cache",
            allowed: [
                "enabled", "store", "path", "ttl", "max_entries", "max_embeddings", "scope", "cache_sensitive",
                "cache_nonzero_temperature", "semantic", "tasks",
            ])
        var cache = ResponseCacheConfiguration(store: .sqlite)
        if let value = settings["enabled"] { cache.enabled = try bool(value, path: "cache.enabled") }
        if let value = settings["store"] {
            cache.store = try choice(
                value, path: "cache.store", what: "a cache store", choices: "sqlite or memory")
        }
        if let value = settings["path"] {
            cache.path = try expandingEnvironment(
                try string(value, path: "cache.path"), path: "cache.path", node: value)
        }
        if let value = settings["ttl"] { cache.timeToLive = try timeToLive(value, path: "cache.ttl") }
        if let value = settings["max_entries"] {
            cache.maxEntries = try positiveInt(value, path: "cache.max_entries")
        }
        if let value = settings["max_embeddings"] {
            cache.maxEmbeddings = try positiveInt(value, path: "cache.max_embeddings")
        }
        if let value = settings["scope"] {
            guard case .sequence(let items) = value else {
                throw wrongType(value, path: "cache.scope", expected: "a list such as [tenant, key, feature]")
            }
            cache.scopeKeys = try items.map { item in
                let name = try string(item, path: "cache.scope")
                guard let key = CacheScope.Key(configurationName: name) else {
                    throw ConfigurationError(
                        kind: .invalidValue, keyPath: "cache.scope", file: file, line: item.line,
                        message: "'\(name)' is not a scope key; use tenant, key, feature, user, component or tag.<name>"
                    )
                }
                return key
            }
        }
        if let value = settings["cache_sensitive"] {
            cache.cachesSensitive = try bool(value, path: "cache.cache_sensitive")
        }
        if let value = settings["cache_nonzero_temperature"] {
            cache.cachesNonzeroTemperature = try bool(value, path: "cache.cache_nonzero_temperature")
        }
        if let value = settings["semantic"] { cache.semantic = try semanticCache(value) }
        if let tasks = settings["tasks"] {
            guard case .mapping(let entries) = tasks else {
                throw wrongType(tasks, path: "cache.tasks", expected: "a mapping of task types to cache settings")
            }
            for (key, value) in entries {
                let task = TaskType(rawValue: try string(key, path: "cache.tasks"))
                let path = "cache.tasks.\(task)"
                let rule = try mapping(value, path: path, allowed: ["enabled", "ttl", "semantic"])
                var policy = ResponseCacheConfiguration.TaskPolicy()
                if let node = rule["enabled"] { policy.enabled = try bool(node, path: "\(path).enabled") }
                if let node = rule["ttl"] {
                    policy.timeToLive = try timeToLive(node, path: "\(path).ttl")
                    policy.expires = policy.timeToLive != nil
                }
                if let node = rule["semantic"] { policy.semantic = try bool(node, path: "\(path).semantic") }
                cache.tasks[task] = policy
            }
        }
        return cache
    }

    /// `semantic: false`, or its settings.
    private func semanticCache(_ node: Node) throws -> ResponseCacheConfiguration.Semantic? {
        if case .scalar = node {
            return try bool(node, path: "cache.semantic") ? ResponseCacheConfiguration.Semantic() : nil
        }
        let settings = try mapping(
            node, path: "cache.semantic", allowed: ["enabled", "provider", "model", "dimensions", "threshold"])
        if let value = settings["enabled"], try !bool(value, path: "cache.semantic.enabled") { return nil }
        var semantic = ResponseCacheConfiguration.Semantic()
        if let value = settings["provider"] {
            semantic.provider = ProviderID(try string(value, path: "cache.semantic.provider"))
            // Another provider's configured default embedding model, unless one is named below.
            if semantic.provider != .ollama { semantic.model = nil }
        }
        if let value = settings["model"] { semantic.model = try string(value, path: "cache.semantic.model") }
        if let value = settings["dimensions"] {
            semantic.dimensions = try positiveInt(value, path: "cache.semantic.dimensions")
        }
        if let value = settings["threshold"] {
            let threshold = NSDecimalNumber(decimal: try decimal(value, path: "cache.semantic.threshold")).doubleValue
            guard threshold > 0, threshold <= 1 else {
                throw ConfigurationError(
                    kind: .invalidValue, keyPath: "cache.semantic.threshold", file: file, line: value.line,
                    message: "must be a cosine similarity above 0 and at most 1, like 0.95")
            }
            semantic.threshold = threshold
        }
        return semantic
    }

    /// A duration, or `never` for entries that do not expire.
    private func timeToLive(_ node: Node, path: String) throws -> Duration? {
        if case .scalar(let scalar) = node, ["never", "none"].contains(scalar.string.lowercased()) { return nil }
        return try duration(node, path: path)
    }
}
