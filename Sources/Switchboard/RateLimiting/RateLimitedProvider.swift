import Logging

/// A provider whose every call waits for its rate limits: `complete` and `stream` acquire a permit
/// from the ``RateLimiter`` for (provider, model, API-key fingerprint) before anything is sent, and
/// give it back when the answer is in — a stream keeps its concurrency slot until it ends or is
/// abandoned. The response's rate-limit headers and usage then update the buckets; a 429 pauses the
/// key and model until the provider's `retry-after`.
///
/// Routing wraps each candidate's call, so retries and fallbacks are limited too. `models`,
/// `embed` and `health` are passed through unlimited.
public struct RateLimitedProvider: LanguageModelProvider {
    public let base: any LanguageModelProvider
    public let limiter: RateLimiter
    /// The fingerprint of the provider's API key (``RateLimitKey/credentialFingerprint(_:)``).
    public let credential: String?

    /// Wraps `base`; `credential` defaults to the fingerprint of the key of a built-in adapter.
    public init(base: any LanguageModelProvider, limiter: RateLimiter, credential: String? = nil) {
        self.base = base
        self.limiter = limiter
        self.credential = credential ?? RateLimitKey.credentialFingerprint((base as? any APIKeyCarrying)?.apiKey)
    }

    public var id: ProviderID { base.id }
    public var defaultModel: String? { base.defaultModel }
    public var isLocal: Bool { base.isLocal }

    /// The resource `request` uses.
    public func key(for request: ChatRequest) -> RateLimitKey {
        RateLimitKey(provider: base.id, model: request.model ?? base.defaultModel, credential: credential)
    }

    public func complete(_ request: ChatRequest, logger: Logger) async throws -> ChatResponse {
        let permit = try await acquire(for: request)
        let response: ChatResponse
        do {
            response = try await base.complete(request, logger: logger)
        } catch {
            await RateLimitOutcome(limiter: limiter, permit: permit, request: request, logger: logger).failed(error)
            throw error
        }
        await RateLimitOutcome(limiter: limiter, permit: permit, request: request, logger: logger)
            .succeeded(rateLimit: response.rateLimit, usage: response.usage)
        return response
    }

    public func stream(_ request: ChatRequest, logger: Logger) async throws -> ChatEventStream {
        let permit = try await acquire(for: request)
        let outcome = RateLimitOutcome(limiter: limiter, permit: permit, request: request, logger: logger)
        let stream: ChatEventStream
        do {
            stream = try await base.stream(request, logger: logger)
        } catch {
            await outcome.failed(error)
            throw error
        }
        return ChatEventStream(PermitHoldingEventSequence(base: stream, lease: PermitLease(outcome: outcome)))
    }

    public func models(logger: Logger) async throws -> [ModelInfo] { try await base.models(logger: logger) }

    public func embed(_ request: EmbeddingRequest, logger: Logger) async throws -> EmbeddingResponse {
        try await base.embed(request, logger: logger)
    }

    public func health(logger: Logger) async -> ProviderHealth { await base.health(logger: logger) }

    private func acquire(for request: ChatRequest) async throws -> RateLimitPermit {
        do {
            return try await limiter.acquire(for: request, key: key(for: request))
        } catch is CancellationError {
            throw ProviderError(
                kind: .cancelled, provider: id, message: "the request was cancelled while it waited for its rate limit")
        }
    }
}

/// The built-in adapters, whose key names their rate-limit buckets.
protocol APIKeyCarrying {
    var apiKey: APIKey? { get }
}

extension OpenAIProvider: APIKeyCarrying {
    var apiKey: APIKey? { configuration.apiKey }
}

extension AnthropicProvider: APIKeyCarrying {
    var apiKey: APIKey? { configuration.apiKey }
}

extension GeminiProvider: APIKeyCarrying {
    var apiKey: APIKey? { configuration.apiKey }
}

extension OllamaProvider: APIKeyCarrying {
    var apiKey: APIKey? { configuration.apiKey }
}
