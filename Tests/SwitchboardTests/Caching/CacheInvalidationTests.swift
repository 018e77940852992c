import Foundation
import Switchboard
import SwitchboardTesting
import Testing

/// TTLs on an injected clock, explicit invalidation, a changed local model, and LRU eviction — on the
/// in-memory and the SQLite store alike.
@Suite(.timeLimit(.minutes(2))) struct CacheInvalidationTests {
    enum StoreKind: String, CaseIterable, CustomTestStringConvertible {
        case memory, sqlite
        var testDescription: String { rawValue }
    }

    /// `cache` on the store of `kind` (SQLite in a fresh directory, removed afterwards).
    func withCache<T: Sendable>(
        _ kind: StoreKind, _ cache: ResponseCacheConfiguration = ResponseCacheConfiguration(),
        configure: (inout SwitchboardConfiguration) -> Void = { _ in },
        _ body: (LLMClient, ProviderSimulator) async throws -> T
    ) async throws -> T {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var cache = cache
        if kind == .sqlite {
            cache.store = .sqlite
            cache.path = directory.path + "/cache.sqlite"
        }
        return try await withCachedClient(
            cache: cache,
            configure: { configuration in
                configuration.dataDirectory = directory.path
                configure(&configuration)
            }, body)
    }

    @Test(arguments: StoreKind.allCases) func entriesExpireAfterTheirTTLOnTheInjectedClock(kind: StoreKind) async throws
    {
        let clock = ManualClock()
        let cache = ResponseCacheConfiguration(timeToLive: .seconds(60), wallClock: wallClock(following: clock))
        try await withCache(kind, cache) { client, simulator in
            simulator.setDefaultReply(.text("Fresh."), for: .openAI)
            _ = try await client.chat(question("Weather today?"))
            clock.advance(by: .seconds(59))
            #expect(try await client.chat(question("Weather today?")).cache?.kind == .exact)
            clock.advance(by: .seconds(2))
            #expect(try await client.chat(question("Weather today?")).cache?.kind == .miss)
            #expect(openAIChats(simulator) == 2)
            #expect(try await client.chat(question("Weather today?")).cache?.kind == .exact, "stored again")
        }
    }

    @Test(arguments: StoreKind.allCases) func taskTypesAndRequestsSetTheirOwnTTL(kind: StoreKind) async throws {
        let clock = ManualClock()
        let cache = ResponseCacheConfiguration(
            timeToLive: .seconds(60),
            tasks: [
                "faq": .init(timeToLive: .seconds(3600)), "news": .init(enabled: false),
                "archive": .init(expires: false),
            ],
            wallClock: wallClock(following: clock))
        try await withCache(kind, cache) { client, simulator in
            simulator.setDefaultReply(.text("An answer."), for: .openAI)
            let faq = question("Opening hours?", metadata: RequestMetadata(taskType: "faq"))
            let short = question(
                "Stock price?", metadata: RequestMetadata(cache: CachePolicy(timeToLive: .seconds(10))))
            let never = question("Headlines?", metadata: RequestMetadata(taskType: "news"))
            let archive = question("Founding year?", metadata: RequestMetadata(taskType: "archive"))
            let plain = question("Plain question?")
            for request in [faq, short, never, archive, plain] { _ = try await client.chat(request) }
            clock.advance(by: .seconds(120))
            #expect(try await client.chat(plain).cache?.kind == .miss, "the configuration's minute has passed")
            #expect(try await client.chat(faq).cache?.kind == .exact, "the task type's hour has not passed")
            #expect(try await client.chat(short).cache?.kind == .miss, "the request's 10 s have")
            let news = try await client.chat(never)
            #expect(news.cache?.kind == .skipped)
            #expect(news.cache?.reason == "caching is off for task type news")
            clock.advance(by: .seconds(365 * 86_400))
            #expect(try await client.chat(archive).cache?.kind == .exact, "the archive task type never expires")
            #expect(openAIChats(simulator) == 8)
        }
    }

    /// Four answers: tagged `news` for acme on gpt-4o-mini, tagged `faq` for globex on gpt-4o, acme on
    /// Anthropic, and one on local llama3.2.
    static let seeded: [ChatRequest] = [
        question(
            "Headline one", model: "gpt-4o-mini",
            metadata: RequestMetadata(tags: ["tenant": "acme"], cache: CachePolicy(tags: ["news"]))),
        question(
            "Opening hours", model: "gpt-4o",
            metadata: RequestMetadata(tags: ["tenant": "globex"], cache: CachePolicy(tags: ["faq"]))),
        question(
            "Refund policy", provider: .anthropic, model: "claude-haiku-4-5",
            metadata: RequestMetadata(tags: ["tenant": "acme"])),
        question("Local question", provider: .ollama, model: "llama3.2"),
    ]

    /// Which of ``seeded`` the cache still answers.
    func present(_ cache: ResponseCache) async -> [Bool] {
        var result: [Bool] = []
        for request in Self.seeded { result.append(await cache.lookup(request) != nil) }
        return result
    }

    @Test(arguments: StoreKind.allCases) func explicitInvalidationByTagModelProviderAndScope(
        kind: StoreKind
    ) async throws {
        try await withCache(kind) { client, simulator in
            for provider in [SimulatedProvider.openAI, .anthropic, .ollama] {
                simulator.setDefaultReply(.text("An answer."), for: provider)
            }
            for request in Self.seeded { _ = try await client.chat(request) }
            let cache = try #require(client.responseCache)
            #expect(await present(cache) == [true, true, true, true])

            #expect(try await cache.invalidate(CacheInvalidation(tag: "news")) == 1)
            #expect(await present(cache) == [false, true, true, true])
            for request in Self.seeded { _ = try await client.chat(request) }

            #expect(try await cache.invalidate(model: "gpt-4o") == 1)
            #expect(await present(cache) == [true, false, true, true])
            for request in Self.seeded { _ = try await client.chat(request) }

            #expect(try await cache.invalidate(CacheInvalidation(provider: .anthropic)) == 1)
            #expect(await present(cache) == [true, true, false, true])
            for request in Self.seeded { _ = try await client.chat(request) }

            #expect(try await cache.invalidate(CacheInvalidation(scope: "tenant=acme")) == 2)
            #expect(await present(cache) == [false, true, false, true])
            for request in Self.seeded { _ = try await client.chat(request) }

            // The Ollama spelling with and without `:latest` is the same model.
            #expect(try await cache.invalidate(model: "llama3.2:latest", provider: .ollama) == 1)
            #expect(await present(cache) == [true, true, true, false])

            #expect(try await cache.invalidate(.all) == 3)
            #expect(await present(cache) == [false, false, false, false])
        }
    }

    @Test(arguments: StoreKind.allCases) func aChangedLocalModelDigestDropsItsAnswers(kind: StoreKind) async throws {
        try await withCache(
            kind,
            configure: { configuration in
                let index = configuration.providers.firstIndex { $0.id == .ollama }!
                configuration.providers[index].localModels = LocalModelPolicy(updateInterval: .seconds(3600))
            }
        ) { client, simulator in
            simulator.setLocalModels([
                SimulatedLocalModel(name: "llama3.2", size: 2_000_000, digest: testDigest("a")),
                SimulatedLocalModel(name: "llava", size: 3_000_000, digest: testDigest("c")),
            ])
            simulator.setDefaultReply(.text("Local answer."), for: .ollama)
            let llama = question("Local question", provider: .ollama, model: "llama3.2")
            let llava = question("Local question", provider: .ollama, model: "llava")
            _ = try await client.chat(llama)
            _ = try await client.chat(llava)
            let manager = try #require(client.localModels[.ollama])
            simulator.setUpstreamModels([
                SimulatedLocalModel(name: "llama3.2", size: 2_000_000, digest: testDigest("a")),
                SimulatedLocalModel(name: "llava", size: 3_000_000, digest: testDigest("c")),
            ])
            _ = try await manager.update(nil)
            #expect(try await client.chat(llama).cache?.kind == .exact, "an unchanged digest keeps the answers")

            simulator.setUpstreamModels([
                SimulatedLocalModel(name: "llama3.2", size: 2_100_000, digest: testDigest("b")),
                SimulatedLocalModel(name: "llava", size: 3_000_000, digest: testDigest("c")),
            ])
            let updates = try await manager.update(nil)
            #expect(updates.map(\.changed) == [true, false])
            #expect(try await client.chat(llama).cache?.kind == .miss, "the new llama3.2 answers afresh")
            #expect(try await client.chat(llava).cache?.kind == .exact)
            #expect(ollamaChats(simulator) == 3)
        }
    }

    @Test(arguments: StoreKind.allCases) func aChangedEmbeddingModelDropsTheVectorsItMade(kind: StoreKind) async throws
    {
        try await withCache(
            kind,
            configure: { configuration in
                let index = configuration.providers.firstIndex { $0.id == .ollama }!
                configuration.providers[index].localModels = LocalModelPolicy(updateInterval: .seconds(3600))
            }
        ) { client, simulator in
            let embedder = SimulatedLocalModel(
                name: "nomic-embed-text", size: 274_000_000, digest: testDigest("e"), family: "nomic-bert",
                capabilities: ["embedding"])
            simulator.setLocalModels([embedder])
            simulator.setDefaultReply(.text("A summary."), for: .openAI)
            let semantic = RequestMetadata(cache: CachePolicy(mode: .semantic))
            _ = try await client.chat(question(CachePrompts.report, metadata: semantic))
            _ = try await client.chat(question("Not semantic"))
            #expect(
                try await client.chat(question(CachePrompts.reportReordered, metadata: semantic)).cache?.kind
                    == .semantic)

            var updated = embedder
            updated.digest = testDigest("f")
            simulator.setUpstreamModels([updated])
            _ = try await client.localModels[.ollama]?.update("nomic-embed-text")
            #expect(
                try await client.chat(question(CachePrompts.reportRespelled, metadata: semantic)).cache?.kind == .miss,
                "vectors of the old embedding model are not compared with the new one's")
            #expect(try await client.chat(question("Not semantic")).cache?.kind == .exact)
        }
    }

    @Test(arguments: StoreKind.allCases) func theLeastRecentlyUsedEntryIsEvictedAtTheSizeLimit(
        kind: StoreKind
    ) async throws {
        try await withCache(kind, ResponseCacheConfiguration(maxEntries: 2)) { client, simulator in
            simulator.setDefaultReply(.text("An answer."), for: .openAI)
            let cache = try #require(client.responseCache)
            _ = try await client.chat(question("A"))
            _ = try await client.chat(question("B"))
            #expect(await cache.lookup(question("A")) != nil, "A is now more recent than B")
            _ = try await client.chat(question("C"))
            #expect(await cache.lookup(question("B")) == nil)
            #expect(await cache.lookup(question("A")) != nil)
            #expect(await cache.lookup(question("C")) != nil)
            #expect(try await cache.statistics().entries == 2)
        }
    }
}
