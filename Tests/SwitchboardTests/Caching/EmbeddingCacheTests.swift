import Foundation
import Switchboard
import SwitchboardTesting
import Testing

/// `LLMClient.embed` through the embedding cache, against the simulator.
@Suite(.timeLimit(.minutes(2))) struct EmbeddingCacheTests {
    static func inputs(of request: RecordedRequest) -> [String] {
        guard case .array(let items)? = request.json?["input"] else { return [] }
        return items.compactMap(\.stringValue)
    }

    @Test func aBatchSendsOnlyItsMissesAndKeepsTheOriginalOrder() async throws {
        try await withCachedClient { client, simulator in
            let embed = { (inputs: [String]) in
                try await client.embed(EmbeddingRequest(inputs: inputs, model: "nomic-embed-text", provider: .ollama))
            }
            let first = try await embed(["alpha", "beta"])
            #expect(ollamaEmbeds(simulator).count == 1)

            let mixed = try await embed(["gamma", "alpha", "beta", "gamma"])
            let requests = ollamaEmbeds(simulator)
            #expect(requests.count == 2)
            #expect(Self.inputs(of: requests[1]) == ["gamma"], "only the miss, once")
            #expect(mixed.embeddings.count == 4)
            #expect(mixed.embeddings[1] == first.embeddings[0])
            #expect(mixed.embeddings[2] == first.embeddings[1])
            #expect(mixed.embeddings[0] == mixed.embeddings[3])
            #expect(mixed.embeddings[0] != mixed.embeddings[1])

            let cached = try await embed(["beta", "alpha"])
            #expect(ollamaEmbeds(simulator).count == 2, "nothing sent")
            #expect(cached.embeddings == [first.embeddings[1], first.embeddings[0]])
            #expect(cached.usage == .zero)

            // Another model or length is another key.
            _ = try await client.embed(
                EmbeddingRequest(inputs: ["alpha"], model: "nomic-embed-text", provider: .ollama, dimensions: 64))
            #expect(ollamaEmbeds(simulator).count == 3)
        }
    }

    @Test func aModelsEmbeddingsGoWithItsInvalidation() async throws {
        try await withCachedClient { client, simulator in
            let request = EmbeddingRequest(inputs: ["alpha"], model: "nomic-embed-text", provider: .ollama)
            _ = try await client.embed(request)
            let cache = try #require(client.responseCache)
            #expect(try await cache.statistics().embeddings == 1)
            try await cache.invalidate(model: "nomic-embed-text")
            #expect(try await cache.statistics().embeddings == 0)
            _ = try await client.embed(request)
            #expect(ollamaEmbeds(simulator).count == 2)
        }
    }

    @Test func sensitiveInputsAreNotCachedUnlessAllowed() async throws {
        try await withCachedClient { client, simulator in
            let request = EmbeddingRequest(
                inputs: ["my secret"], model: "nomic-embed-text", provider: .ollama,
                metadata: RequestMetadata(sensitivity: .sensitive))
            _ = try await client.embed(request)
            _ = try await client.embed(request)
            #expect(ollamaEmbeds(simulator).count == 2)
        }
    }

    @Test func theLeastRecentlyUsedVectorsGoAtTheLimit() async {
        let store = InMemoryEmbeddingCacheStore()
        let model = EmbeddingModelKey(provider: .ollama, model: "m", dimensions: nil)
        await store.insert(["a": [1], "b": [2]], model: model, maxEntries: 2)
        _ = await store.vectors(for: ["a"], model: model)
        await store.insert(["c": [3]], model: model, maxEntries: 2)
        #expect(await store.vectors(for: ["a", "b", "c"], model: model) == ["a": [1], "c": [3]])
    }
}
