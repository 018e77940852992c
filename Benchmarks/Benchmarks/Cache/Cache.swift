// The response cache's two lookups, as `ResponseCacheStage` runs them before any provider is asked.
//
// - "exact hit, SQLite": `ResponseCache.lookup(_:)` of a request whose answer is in an SQLite cache
//   file of 10,000 entries (WAL mode, warm page cache): canonical encoding and SHA-256 of the request,
//   one indexed read on GRDB's reader pool, decoding the row into a `ChatResponse`, and buffering the
//   hit (written every 256 distinct keys). "one key" asks for the same answer every time; "1,000
//   keys" cycles through 1,000 stored answers, so the buffered hits are written as they would be.
//   "store only" is `SQLiteCacheStore.entry(for:now:)` with a precomputed key.
// - "semantic search": `FlatVectorIndex.search(_:threshold:limit:)` over 100,000 unit vectors of 768
//   dimensions (bfloat16 in memory, 154 MB), for a query near one stored vector; the whole index is
//   scanned every time. The embedding of the prompt (a provider call, cached) is not included.
//
// One scaled iteration is one lookup.

import Benchmark
import Foundation
import Logging
import Switchboard
import Synchronization

private struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state = state &+ 0x9e37_79b9_7f4a_7c15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xbf58_476d_1ce4_e5b9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94d0_49bb_1331_11eb
        return mixed ^ (mixed >> 31)
    }
}

private func request(_ number: Int) -> ChatRequest {
    ChatRequest(
        messages: [
            .system("Answer in one sentence."), .user("Question number \(number): what is the capital of France?"),
        ],
        model: "gpt-4o-mini", provider: .openAI, maxTokens: 64, temperature: 0)
}

/// What the benchmarks read, built by their setup hooks.
private final class CacheFixture: Sendable {
    struct SQLite: Sendable {
        var cache: ResponseCache
        var store: SQLiteCacheStore
        var key: CacheKey
        var directory: String
    }

    struct Vectors: Sendable {
        var index: FlatVectorIndex
        var query: [Float]
    }

    private let sqliteState = Mutex<SQLite?>(nil)
    private let vectorState = Mutex<Vectors?>(nil)

    var sqlite: SQLite {
        guard let sqlite = sqliteState.withLock({ $0 }) else {
            fatalError("Cache: benchmark ran without its setup hook")
        }
        return sqlite
    }

    var vectors: Vectors {
        guard let vectors = vectorState.withLock({ $0 }) else {
            fatalError("Cache: benchmark ran without its setup hook")
        }
        return vectors
    }

    /// An SQLite cache file of 10,000 answers in a fresh directory.
    func startSQLite() async throws {
        guard sqliteState.withLock({ $0 == nil }) else { return }
        let directory = NSTemporaryDirectory() + "switchboard-cache-benchmark-\(UUID().uuidString)"
        let store = try SQLiteCacheStore(path: directory + "/cache.sqlite")
        var logger = Logger(label: "switchboard.benchmark")
        logger.logLevel = .warning
        let configuration = ResponseCacheConfiguration(
            responseStore: store, timeToLive: nil, maxEntries: nil, semantic: nil)
        let cache = ResponseCache(configuration: configuration, store: store, logger: logger)
        let scope = CacheScope(metadata: RequestMetadata(), keys: configuration.scopeKeys)
        let now = Date()
        for number in 0..<10_000 {
            let entry = ResponseCacheEntry(
                key: CacheKey(request: request(number), scope: scope), scope: scope,
                response: CachedResponse(
                    id: "chatcmpl-\(number)", text: "The capital of France is Paris. (\(number))", finishReason: .stop,
                    usage: Usage(inputTokens: 24, outputTokens: 9), provider: .openAI, model: "gpt-4o-mini"),
                requestedModel: "gpt-4o-mini", createdAt: now)
            _ = try await store.insert(entry, maxEntries: nil, now: now)
        }
        guard await cache.lookup(request(4_321)) != nil else { fatalError("Cache: the stored answer is not found") }
        sqliteState.withLock {
            $0 = SQLite(
                cache: cache, store: store, key: CacheKey(request: request(4_321), scope: scope), directory: directory)
        }
    }

    /// 100,000 random unit vectors of 768 dimensions and a query near one of them.
    func startVectors() {
        guard vectorState.withLock({ $0 == nil }) else { return }
        let count = 100_000
        let dimensions = 768
        var random = SplitMix(state: 42)
        var index = FlatVectorIndex(dimensions: dimensions)
        var target: [Float] = []
        for number in 0..<count {
            let vector = (0..<dimensions).map { _ in Float.random(in: -1...1, using: &random) }
            if number == 77_777 { target = vector }
            index.insert(vector, for: CacheKey(rawValue: String(number)))
        }
        let query = target.map { $0 + Float.random(in: -0.05...0.05, using: &random) }
        let found = index.search(query, threshold: 0.95)
        print(
            "Cache: \(index.count) vectors × \(dimensions); the query finds \(found.map { ($0.key.rawValue, $0.similarity) })"
        )
        vectorState.withLock { $0 = Vectors(index: index, query: query) }
    }

    /// Removes the SQLite cache file; the next setup makes a new one.
    func stopSQLite() {
        if let directory = sqliteState.withLock({ state in
            defer { state = nil }; return state?.directory
        }) {
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    func stopVectors() { vectorState.withLock { $0 = nil } }
}

private let fixture = CacheFixture()

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration.maxDuration = .seconds(5)
    Benchmark.defaultConfiguration.maxIterations = 10_000
    let perLookup = Benchmark.Configuration(
        metrics: [.wallClock, .throughput, .mallocCountTotal], warmupIterations: 10, scalingFactor: .kilo,
        setup: { try await fixture.startSQLite() }, teardown: { fixture.stopSQLite() })

    Benchmark("Cache exact hit, SQLite 10k entries, one key", configuration: perLookup) { benchmark in
        let cache = fixture.sqlite.cache
        let hit = request(4_321)
        for _ in benchmark.scaledIterations {
            blackHole(await cache.lookup(hit))
        }
    }

    Benchmark("Cache exact hit, SQLite 10k entries, 1,000 keys", configuration: perLookup) { benchmark in
        let cache = fixture.sqlite.cache
        let requests = (0..<1_000).map { request($0 * 7) }
        var next = 0
        for _ in benchmark.scaledIterations {
            blackHole(await cache.lookup(requests[next]))
            next = (next + 1) % requests.count
        }
    }

    Benchmark("Cache exact hit, SQLite 10k entries, store only", configuration: perLookup) { benchmark in
        let sqlite = fixture.sqlite
        let now = Date()
        for _ in benchmark.scaledIterations {
            blackHole(try await sqlite.store.entry(for: sqlite.key, now: now))
        }
    }

    Benchmark(
        "Cache semantic search, 100k × 768",
        configuration: .init(
            metrics: [.wallClock, .throughput, .peakMemoryResident], warmupIterations: 3,
            setup: { fixture.startVectors() }, teardown: { fixture.stopVectors() })
    ) { benchmark in
        let vectors = fixture.vectors
        for _ in benchmark.scaledIterations {
            blackHole(vectors.index.search(vectors.query, threshold: 0.95))
        }
    }
}
