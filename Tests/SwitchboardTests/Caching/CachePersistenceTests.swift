import Foundation
import Switchboard
import SwitchboardTesting
import Testing

/// The SQLite store on its own, and a cache that survives a restart of the client.
@Suite(.timeLimit(.minutes(2))) struct CachePersistenceTests {
    @Test func aRestartKeepsExactAndSemanticEntriesAndTheirHits() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let cache = ResponseCacheConfiguration(store: .sqlite, path: directory.path + "/cache.sqlite")
        let semantic = RequestMetadata(cache: CachePolicy(mode: .semantic))
        try await withCachedClient(cache: cache) { client, simulator in
            simulator.setDefaultReply(.text("Stored before the restart."), for: .openAI)
            _ = try await client.chat(question(CachePrompts.report, metadata: semantic))
            _ = try await client.chat(question("What is the capital of France?"))
            #expect(try await client.chat(question("What is the capital of France?")).cache?.kind == .exact)
        }
        try await withCachedClient(cache: cache) { client, simulator in
            let exact = try await client.chat(question("What is the capital of France?"))
            #expect(exact.cache?.kind == .exact)
            #expect(exact.text == "Stored before the restart.")
            let paraphrase = try await client.chat(question(CachePrompts.reportReordered, metadata: semantic))
            #expect(paraphrase.cache?.kind == .semantic)
            #expect(openAIChats(simulator) == 0, "the new process answered everything from the file")
            let statistics = try #require(try await client.responseCache?.statistics())
            #expect(statistics.entries == 2)
            #expect(statistics.semanticEntries == 1)
            #expect(statistics.hits == 3)
            #expect(statistics.embeddings == 2)
        }
    }

    /// With 0 read connections every read goes through GRDB; otherwise through the prepared connections.
    @Test(arguments: [0, 2]) func theSQLiteStoreKeepsEveryFieldOfAnEntry(readConnections: Int) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/nested/cache.sqlite"
        let created = Date(timeIntervalSince1970: 1_790_000_000)
        let entry = ResponseCacheEntry(
            key: CacheKey(rawValue: String(repeating: "ab", count: 32)), scope: CacheScope(rawValue: "|tenant=a%7Cb|"),
            response: CachedResponse(
                id: "chatcmpl-1", text: "Calling.",
                toolCalls: [ToolCall(id: "call_1", name: "lookup", arguments: #"{"q":"x"}"#, signature: "sig")],
                finishReason: .toolCalls, providerFinishReason: "tool_calls",
                usage: Usage(inputTokens: 5, cacheReadTokens: 2, outputTokens: 7, reasoningTokens: 1),
                provider: .openAI,
                model: "gpt-4o-mini"),
            requestedModel: nil, taskType: "faq", tags: ["a|b", "c"], createdAt: created,
            expiresAt: created.addingTimeInterval(60), sensitive: true,
            semantic: .init(partition: "p", embeddingModel: "ollama/nomic-embed-text/0", vector: [0.6, 0.8]),
            cost: Money(picodollars: 1_234_567))
        do {
            let store = try SQLiteCacheStore(path: path)
            #expect(try await store.insert(entry, maxEntries: nil, now: created).isEmpty)
        }
        let store = try SQLiteCacheStore(path: path, readConnections: readConnections)
        var expected = entry
        expected.semantic = nil
        expected.hits = 1
        #expect(try await store.entry(for: entry.key, now: created.addingTimeInterval(59)) == expected)
        expected.hits = 2
        #expect(try await store.entry(for: entry.key, now: created.addingTimeInterval(59)) == expected)
        #expect(try await store.entry(for: entry.key, now: created.addingTimeInterval(60)) == nil)
        #expect(try await store.entry(for: CacheKey(rawValue: "missing"), now: created) == nil)
        let vectors = try await store.semanticEntries(now: created)
        #expect(vectors.map(\.key) == [entry.key])
        #expect(vectors.first?.semantic == entry.semantic)
        #expect(try await store.remove(CacheInvalidation(tag: "a|b")) == [entry.key])
    }

    @Test func anUnreadableStoreIsBypassed() async throws {
        let cache = ResponseCacheConfiguration(responseStore: FailingStore())
        try await withCachedClient(cache: cache) { client, simulator in
            simulator.setDefaultReply(.text("Still answered."), for: .openAI)
            let first = try await client.chat(question("Hello"))
            #expect(first.text == "Still answered.")
            #expect(try await client.chat(question("Hello")).cache?.kind == .miss)
            #expect(openAIChats(simulator) == 2)
        }
    }
}

/// A store whose every operation fails.
struct FailingStore: ResponseCacheStore {
    struct Failure: Error {}
    var isLocal: Bool { true }
    func entry(for key: CacheKey, now: Date) async throws -> ResponseCacheEntry? { throw Failure() }
    func insert(_ entry: ResponseCacheEntry, maxEntries: Int?, now: Date) async throws -> [CacheKey] { throw Failure() }
    func remove(_ invalidation: CacheInvalidation) async throws -> [CacheKey] { throw Failure() }
    func semanticEntries(now: Date) async throws -> [(key: CacheKey, semantic: ResponseCacheEntry.Semantic)] {
        throw Failure()
    }
    func statistics(now: Date) async throws -> ResponseCacheStatistics { throw Failure() }
    func flush() async throws { throw Failure() }
}
