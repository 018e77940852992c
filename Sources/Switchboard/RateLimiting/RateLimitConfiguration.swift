/// Rate limits per provider and model, and how the queue in front of each limited resource behaves.
///
/// A provider's limits apply to each of its models separately (OpenAI and Anthropic enforce their
/// limits per model), unless the model has its own entry; a model entry's unset values come from
/// the provider's. Every API key has buckets of its own.
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
public struct RateLimitConfiguration: Hashable, Sendable {
    /// The limits of one provider and its models.
    public struct ProviderLimits: Hashable, Sendable {
        /// The limits of every model without an entry in ``models``.
        public var limits: RateLimits
        /// Limits per model name; unset values come from ``limits``.
        public var models: [String: RateLimits]

        public init(limits: RateLimits = .init(), models: [String: RateLimits] = [:]) {
            self.limits = limits
            self.models = models
        }
    }

    /// Configured limits per provider. Providers not named here are still throttled by what their
    /// rate-limit headers say.
    public var providers: [ProviderID: ProviderLimits]
    /// Requests that may wait per limited resource; when it is full, a request ranking after every
    /// waiting one fails at once with `overloaded`, and a higher-priority one displaces the last.
    public var maxQueue: Int
    /// How long a request may wait in a queue when its metadata sets no
    /// ``RequestMetadata/maxQueueWait``; `nil` = as long as it takes.
    public var maxQueueWait: Duration?
    /// How long a key and model are paused after a 429 that gave no `retry-after`.
    public var pauseWithoutRetryAfter: Duration
    /// The output tokens reserved for a request that sets no `maxTokens`.
    public var defaultMaxOutputTokens: Int

    public init(
        providers: [ProviderID: ProviderLimits] = [:], maxQueue: Int = 100, maxQueueWait: Duration? = nil,
        pauseWithoutRetryAfter: Duration = .seconds(1), defaultMaxOutputTokens: Int = 4096
    ) {
        self.providers = providers
        self.maxQueue = maxQueue
        self.maxQueueWait = maxQueueWait
        self.pauseWithoutRetryAfter = pauseWithoutRetryAfter
        self.defaultMaxOutputTokens = defaultMaxOutputTokens
    }

    /// The limits for `model` of `provider`.
    public func limits(provider: ProviderID, model: String?) -> RateLimits {
        guard let entry = providers[provider] else { return RateLimits() }
        guard let model, let own = entry.models[model] else { return entry.limits }
        return own.merged(over: entry.limits)
    }
}
