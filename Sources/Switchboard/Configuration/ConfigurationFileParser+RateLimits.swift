import Foundation
import Yams

extension ConfigurationFileParser {
    private static let limitKeys: Set<String> = [
        "requests_per_minute", "tokens_per_minute", "max_concurrent", "burst", "token_burst",
    ]
    private static let queueKeys: Set<String> = [
        "max_queue", "max_queue_wait", "pause_without_retry_after", "default_max_output_tokens",
    ]

    /// The `rate_limits:` section: queue settings, then limits per provider id and per model.
    ///
    /// ```yaml
    /// rate_limits:
    ///   max_queue: 100
    ///   max_queue_wait: 30s
    ///   openai:
    ///     requests_per_minute: 500
    ///     tokens_per_minute: 200000
    ///     max_concurrent: 20
    ///     burst: 50
    ///     models:
    ///       gpt-4o: { requests_per_minute: 60 }
    /// ```
    func rateLimits(_ node: Node) throws -> RateLimitConfiguration {
        guard case .mapping(let entries) = node else {
            throw wrongType(node, path: "rate_limits", expected: "a mapping of queue settings and provider ids")
        }
        var configuration = RateLimitConfiguration()
        for (key, value) in entries {
            let name = try string(key, path: "rate_limits")
            let path = "rate_limits.\(name)"
            switch name {
            case "max_queue": configuration.maxQueue = try positiveInt(value, path: path, allowZero: true)
            case "max_queue_wait": configuration.maxQueueWait = try duration(value, path: path)
            case "pause_without_retry_after": configuration.pauseWithoutRetryAfter = try duration(value, path: path)
            case "default_max_output_tokens": configuration.defaultMaxOutputTokens = try positiveInt(value, path: path)
            default:
                let settings = try mapping(value, path: path, allowed: Self.limitKeys.union(["models"]))
                var provider = RateLimitConfiguration.ProviderLimits(limits: try limits(settings, path: path))
                if let models = settings["models"] {
                    guard case .mapping(let modelEntries) = models else {
                        throw wrongType(models, path: "\(path).models", expected: "a mapping of model names to limits")
                    }
                    for (modelKey, modelValue) in modelEntries {
                        let model = try string(modelKey, path: "\(path).models")
                        let modelPath = "\(path).models.\(model)"
                        provider.models[model] = try limits(
                            try mapping(modelValue, path: modelPath, allowed: Self.limitKeys), path: modelPath)
                    }
                }
                configuration.providers[ProviderID(name)] = provider
            }
        }
        return configuration
    }

    private func limits(_ settings: [String: Node], path: String) throws -> RateLimits {
        func value(_ key: String) throws -> Int? {
            guard let node = settings[key] else { return nil }
            let number = try positiveInt(node, path: "\(path).\(key)")
            guard number <= TokenBucket.maximumTokens else {
                throw ConfigurationError(
                    kind: .invalidValue, keyPath: "\(path).\(key)", file: file, line: node.line,
                    message: "must be at most \(TokenBucket.maximumTokens)")
            }
            return number
        }
        return RateLimits(
            requestsPerMinute: try value("requests_per_minute"), tokensPerMinute: try value("tokens_per_minute"),
            maxConcurrent: try value("max_concurrent"), requestBurst: try value("burst"),
            tokenBurst: try value("token_burst"))
    }
}
