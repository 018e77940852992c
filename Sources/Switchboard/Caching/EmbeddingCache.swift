import Crypto
import Logging

/// Looks up every input of an embeddings call by (provider, model, dimensions, SHA-256 of the input)
/// before asking the provider: a batch sends only its misses (each distinct input once) and gets its
/// vectors back in the original order.
///
/// A store that fails is logged and bypassed: the call then goes to the provider as if nothing were cached.
public struct EmbeddingCache: Sendable {
    public let store: any EmbeddingCacheStore
    /// The most vectors kept; the least recently used go first. `nil`: no limit.
    public let maxEntries: Int?
    /// Whether inputs of sensitive requests may be cached (then only in a local store).
    public let cachesSensitive: Bool
    /// Whether the store keeps its vectors on this machine.
    public let storeIsLocal: Bool

    public init(
        store: any EmbeddingCacheStore, maxEntries: Int? = 100_000, cachesSensitive: Bool = false,
        storeIsLocal: Bool = true
    ) {
        self.store = store
        self.maxEntries = maxEntries
        self.cachesSensitive = cachesSensitive
        self.storeIsLocal = storeIsLocal
    }

    /// The SHA-256 of `input`, hex.
    public static func inputHash(_ input: String) -> String {
        Crypto.SHA256.hash(data: Array(input.utf8)).lowercaseHex
    }

    /// `request`'s vectors from the cache where present and from `provider` (one call, misses only)
    /// otherwise. The usage is the provider call's, zero when every input was cached.
    public func embed(
        _ request: EmbeddingRequest, provider: any LanguageModelProvider, logger: Logger
    ) async throws -> EmbeddingResponse {
        let mayCache =
            (request.metadata.sensitivity != .sensitive && request.metadata.taskType != .sensitiveData)
            || (cachesSensitive && storeIsLocal)
        guard mayCache, !request.inputs.isEmpty else { return try await provider.embed(request, logger: logger) }
        let model = EmbeddingModelKey(provider: provider.id, model: request.model, dimensions: request.dimensions)
        let hashes = request.inputs.map(Self.inputHash)
        var found: [String: [Float]]
        do {
            found = try await store.vectors(for: Array(Set(hashes)), model: model)
        } catch {
            logger.warning("embedding cache could not be read; asking the provider", metadata: ["error": "\(error)"])
            return try await provider.embed(request, logger: logger)
        }
        var missingInputs: [String] = []
        var missingHashes: [String] = []
        var seen: Set<String> = []
        for (input, hash) in zip(request.inputs, hashes) where found[hash] == nil && seen.insert(hash).inserted {
            missingInputs.append(input)
            missingHashes.append(hash)
        }
        var answeringModel = request.model ?? model.model
        var usage: Usage? = .zero
        if !missingInputs.isEmpty {
            var missing = request
            missing.inputs = missingInputs
            let response = try await provider.embed(missing, logger: logger)
            guard response.embeddings.count == missingInputs.count else {
                throw ProviderError(
                    kind: .invalidResponse, provider: provider.id,
                    message: "asked for \(missingInputs.count) embeddings, got \(response.embeddings.count)")
            }
            answeringModel = response.model
            usage = response.usage
            let fresh = Dictionary(zip(missingHashes, response.embeddings)) { first, _ in first }
            found.merge(fresh) { _, new in new }
            do {
                try await store.insert(fresh, model: model, maxEntries: maxEntries)
            } catch {
                logger.warning("embedding cache could not be written", metadata: ["error": "\(error)"])
            }
        }
        return EmbeddingResponse(
            embeddings: hashes.map { found[$0] ?? [] }, model: answeringModel, provider: provider.id, usage: usage)
    }
}
