import Logging

/// What every provider adapter implements: one wire format behind the common types.
///
/// Adapters throw only ``ProviderError``. They do not retry, route or log per request; the
/// pipeline stages do that. See `SwitchboardTesting`'s conformance suite for the behaviour every
/// adapter must show.
public protocol LanguageModelProvider: Sendable {
    /// The name requests and configuration use for this provider.
    var id: ProviderID { get }
    /// The model used when a request names none.
    var defaultModel: String? { get }
    /// Whether the provider runs on this machine (sensitive requests may go only to these).
    var isLocal: Bool { get }

    /// Sends the request and waits for the whole answer.
    func complete(_ request: ChatRequest, logger: Logger) async throws -> ChatResponse
    /// Sends the request and returns once the provider accepted it; events follow as they arrive.
    ///
    /// An HTTP error before the stream starts is thrown from this call, so a caller can fall back.
    func stream(_ request: ChatRequest, logger: Logger) async throws -> ChatEventStream
    /// The models the provider offers.
    func models(logger: Logger) async throws -> [ModelInfo]
    /// Embeds texts; providers without an embeddings API throw `invalidRequest`.
    func embed(_ request: EmbeddingRequest, logger: Logger) async throws -> EmbeddingResponse
    /// A cheap check that the provider answers and accepts our key.
    func health(logger: Logger) async -> ProviderHealth
}

extension LanguageModelProvider {
    public var isLocal: Bool { false }

    /// The request's model, else the provider's default; `notConfigured` when there is neither.
    func resolvedModel(_ model: String?) throws -> String {
        guard let model = model ?? defaultModel, !model.isEmpty else {
            throw ProviderError(kind: .notConfigured, provider: id, message: "no model given and no default configured")
        }
        return model
    }

    public func embed(_ request: EmbeddingRequest, logger: Logger) async throws -> EmbeddingResponse {
        throw ProviderError(kind: .invalidRequest, provider: id, message: "\(id) has no embeddings API")
    }

    public func health(logger: Logger) async -> ProviderHealth {
        let started = ContinuousClock.now
        do {
            _ = try await models(logger: logger)
            return ProviderHealth(provider: id, status: .healthy, latency: ContinuousClock.now - started)
        } catch let error as ProviderError {
            let status: ProviderHealth.Status = error.isRetryable ? .degraded : .unavailable
            return ProviderHealth(
                provider: id, status: status, latency: ContinuousClock.now - started, detail: error.description)
        } catch {
            return ProviderHealth(provider: id, status: .unavailable, detail: "\(type(of: error))")
        }
    }
}
