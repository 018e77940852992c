import Foundation
import Switchboard
import SwitchboardTesting
import Testing

/// The semantic cache with the simulator's deterministic embeddings (hashed character trigrams,
/// 768 dimensions from the simulated Ollama's nomic-embed-text).
@Suite(.timeLimit(.minutes(2))) struct SemanticCacheTests {
    static let semantic = RequestMetadata(cache: CachePolicy(mode: .semantic))

    static func cosine(_ lhs: [Float], _ rhs: [Float]) -> Double {
        var dot = 0.0, left = 0.0, right = 0.0
        for (a, b) in zip(lhs, rhs) {
            dot += Double(a) * Double(b)
            left += Double(a) * Double(a)
            right += Double(b) * Double(b)
        }
        return dot / (left.squareRoot() * right.squareRoot())
    }

    @Test func theSimulatorsEmbeddingsPlaceParaphrasesCloseAndUnrelatedPromptsFar() async throws {
        try await withSimulatedClient { client, _ in
            for (provider, model, dimensions) in [
                (ProviderID.ollama, "nomic-embed-text", Int?.none), (.openAI, "text-embedding-3-small", 768),
                (.gemini, "gemini-embedding-001", 768),
            ] {
                let prompts = [
                    CachePrompts.report, CachePrompts.reportReordered, CachePrompts.reportRespelled,
                    CachePrompts.marketingPlan, CachePrompts.password,
                ]
                let vectors = try await client.embed(
                    EmbeddingRequest(inputs: prompts, model: model, provider: provider, dimensions: dimensions)
                ).embeddings
                #expect(vectors.allSatisfy { $0.count == 768 })
                let similarities = vectors.map { Self.cosine(vectors[0], $0) }
                #expect(similarities[1] >= 0.97, "\(provider): reordered words")
                #expect(similarities[2] >= 0.95, "\(provider): other spelling")
                #expect(similarities[3] < 0.7, "\(provider): same words in part, another request")
                #expect(similarities[4] < 0.4, "\(provider): unrelated")
            }
        }
    }

    @Test func aParaphraseIsAnsweredFromTheSemanticCache() async throws {
        try await withCachedClient { client, simulator in
            simulator.setDefaultReply(
                .text("• Sales up 4%", usage: SimulatedUsage(inputTokens: 500, outputTokens: 80)), for: .openAI)
            let original = try await client.chat(question(CachePrompts.report, metadata: Self.semantic))
            #expect(original.cache?.kind == .miss)
            for paraphrase in [CachePrompts.reportReordered, CachePrompts.reportRespelled] {
                let response = try await client.chat(question(paraphrase, metadata: Self.semantic))
                #expect(response.cache?.kind == .semantic, "\(paraphrase)")
                #expect((response.cache?.similarity ?? 0) >= 0.95)
                #expect(response.text == "• Sales up 4%")
                #expect(response.cost?.total == .zero)
                #expect(response.cache?.savedCost == original.cost?.total)
            }
            #expect(openAIChats(simulator) == 1)
            for unrelated in [CachePrompts.marketingPlan, CachePrompts.password] {
                #expect(try await client.chat(question(unrelated, metadata: Self.semantic)).cache?.kind == .miss)
            }
            #expect(openAIChats(simulator) == 3)
            // The same prompt again is an exact hit, embedded once.
            #expect(try await client.chat(question(CachePrompts.report, metadata: Self.semantic)).cache?.kind == .exact)
        }
    }

    @Test func aStreamedParaphraseIsReplayedFromTheSemanticCache() async throws {
        try await withCachedClient { client, simulator in
            simulator.setDefaultReply(.text("• Sales up 4%"), for: .openAI)
            _ = try await client.chat(question(CachePrompts.report, metadata: Self.semantic))
            var finish: StreamFinish?
            for try await event in try await client.stream(
                question(CachePrompts.reportReordered, metadata: Self.semantic))
            {
                if case .finish(let last) = event { finish = last }
            }
            #expect(finish?.cache?.kind == .semantic)
            #expect(openAIChats(simulator) == 1)
        }
    }

    @Test func requestsOptInPerTaskTypeInTheConfiguration() async throws {
        let cache = ResponseCacheConfiguration(tasks: ["summaries": .init(semantic: true)])
        try await withCachedClient(cache: cache) { client, simulator in
            simulator.setDefaultReply(.text("A summary."), for: .openAI)
            let summaries = RequestMetadata(taskType: "summaries")
            _ = try await client.chat(question(CachePrompts.report, metadata: summaries))
            #expect(
                try await client.chat(question(CachePrompts.reportReordered, metadata: summaries)).cache?.kind
                    == .semantic)
            #expect(
                try await client.chat(question(CachePrompts.reportRespelled)).cache?.kind == .miss,
                "without the task type the request did not opt in")
            #expect(openAIChats(simulator) == 2)
        }
    }

    @Test func onlyTheSameModelSystemPromptAndScopeAreCompared() async throws {
        try await withCachedClient { client, simulator in
            simulator.setDefaultReply(.text("A summary."), for: .openAI)
            func asked(
                _ text: String, model: String? = nil, system: String? = nil, tenant: String = "acme"
            ) -> ChatRequest {
                var request = question(
                    text, model: model,
                    metadata: RequestMetadata(tags: ["tenant": tenant], cache: CachePolicy(mode: .semantic)))
                if let system { request.messages.insert(.system(system), at: 0) }
                return request
            }
            _ = try await client.chat(asked(CachePrompts.report, system: "Be brief."))
            #expect(
                try await client.chat(asked(CachePrompts.reportReordered, system: "Be brief.")).cache?.kind == .semantic
            )
            #expect(
                try await client.chat(asked(CachePrompts.reportReordered, system: "Be formal.")).cache?.kind == .miss)
            #expect(try await client.chat(asked(CachePrompts.reportReordered)).cache?.kind == .miss)
            #expect(
                try await client.chat(asked(CachePrompts.reportReordered, model: "gpt-4o", system: "Be brief.")).cache?
                    .kind == .miss)
            #expect(
                try await client.chat(asked(CachePrompts.reportReordered, system: "Be brief.", tenant: "globex")).cache?
                    .kind == .miss)
            #expect(openAIChats(simulator) == 5)
        }
    }

    @Test func aThresholdOfOneAcceptsOnlyTheSamePrompt() async throws {
        let cache = ResponseCacheConfiguration(semantic: .init(threshold: 0.999))
        try await withCachedClient(cache: cache) { client, simulator in
            simulator.setDefaultReply(.text("A summary."), for: .openAI)
            _ = try await client.chat(question(CachePrompts.report, metadata: Self.semantic))
            #expect(
                try await client.chat(question(CachePrompts.reportRespelled, metadata: Self.semantic)).cache?.kind
                    == .miss)
        }
    }

    @Test func sensitivePromptsAreNotEmbeddedByAnExternalProvider() async throws {
        let cache = ResponseCacheConfiguration(
            cachesSensitive: true, semantic: .init(provider: .openAI, model: "text-embedding-3-small"))
        // The simulated OpenAI listens on loopback; say it is the external service it stands for.
        let external: (inout SwitchboardConfiguration) -> Void = { configuration in
            configuration.providers[configuration.providers.firstIndex { $0.id == .openAI }!].isLocal = false
        }
        try await withCachedClient(cache: cache, configure: external) { client, simulator in
            simulator.setDefaultReply(.text("Kept local."), for: .ollama)
            let metadata = RequestMetadata(sensitivity: .sensitive, cache: CachePolicy(mode: .semantic))
            _ = try await client.chat(
                question(CachePrompts.report, provider: .ollama, model: "llama3.2", metadata: metadata))
            let again = try await client.chat(
                question(CachePrompts.report, provider: .ollama, model: "llama3.2", metadata: metadata))
            #expect(again.cache?.kind == .exact, "still cached exactly, on this machine")
            #expect(simulator.requests(for: .openAI).isEmpty, "the prompt never went to OpenAI's embeddings")
        }
    }

    @Test func anEmbeddingFailureLeavesTheExactCacheWorking() async throws {
        let cache = ResponseCacheConfiguration(semantic: .init(model: "not-installed-embedder"))
        try await withCachedClient(cache: cache) { client, simulator in
            simulator.setDefaultReply(.text("A summary."), for: .openAI)
            _ = try await client.chat(question(CachePrompts.report, metadata: Self.semantic))
            #expect(
                try await client.chat(question(CachePrompts.reportReordered, metadata: Self.semantic)).cache?.kind
                    == .miss)
            #expect(try await client.chat(question(CachePrompts.report, metadata: Self.semantic)).cache?.kind == .exact)
            #expect(!ollamaEmbeds(simulator).isEmpty, "the embedding was tried")
        }
    }
}

/// The flat SIMD index against a brute-force search in `Double`.
@Suite struct FlatVectorIndexTests {
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &+ 0x9e37_79b9_7f4a_7c15
            var mixed = state
            mixed = (mixed ^ (mixed >> 30)) &* 0xbf58_476d_1ce4_e5b9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94d0_49bb_1331_11eb
            return mixed ^ (mixed >> 31)
        }
    }

    @Test(arguments: [3, 16, 100, 768]) func searchFindsWhatABruteForceSearchFinds(dimensions: Int) {
        var random = Generator(state: UInt64(dimensions))
        var index = FlatVectorIndex(dimensions: dimensions)
        var vectors: [CacheKey: [Float]] = [:]
        for number in 0..<300 {
            let key = CacheKey(rawValue: "k\(number)")
            let vector = (0..<dimensions).map { _ in Float.random(in: -1...1, using: &random) }
            vectors[key] = vector
            index.insert(vector, for: key)
        }
        for number in stride(from: 0, to: 300, by: 3) { index.remove(CacheKey(rawValue: "k\(number)")) }
        #expect(index.count == 200)
        for probe in 0..<10 {
            // A query near a stored vector, and a random one.
            let base = vectors[CacheKey(rawValue: "k\(probe * 3 + 1)")]!
            for query in [
                base.map { $0 + Float.random(in: -0.05...0.05, using: &random) },
                (0..<dimensions).map { _ in Float.random(in: -1...1, using: &random) },
            ] {
                let expected = vectors.filter { index.contains($0.key) }.map {
                    (key: $0.key, similarity: SemanticCacheTests.cosine($0.value, query))
                }.sorted { $0.similarity > $1.similarity }
                let found = index.search(query, threshold: -1, limit: 3)
                #expect(found.count == 3)
                #expect(
                    found.first?.key == expected.first?.key
                        || abs(expected[0].similarity - expected[1].similarity) < 0.01)
                for (result, truth) in zip(found, expected) {
                    #expect(abs(Double(result.similarity) - truth.similarity) < 0.004)
                }
                let threshold = Float(expected[0].similarity) - 0.01
                #expect(index.search(query, threshold: threshold).allSatisfy { $0.similarity >= threshold })
            }
        }
    }

    @Test func insertingUnderAKeyReplacesAndWrongLengthsAreIgnored() {
        var index = FlatVectorIndex(dimensions: 4)
        let key = CacheKey(rawValue: "a")
        index.insert([1, 0, 0, 0], for: key)
        index.insert([0, 1, 0, 0], for: key)
        index.insert([1, 0, 0], for: CacheKey(rawValue: "short"))
        index.insert([0, 0, 0, 0], for: CacheKey(rawValue: "zero"))
        #expect(index.count == 1)
        #expect(index.search([0, 2, 0, 0], threshold: 0.99).first?.key == key)
        #expect(index.search([2, 0, 0, 0], threshold: 0.5).isEmpty)
    }
}
