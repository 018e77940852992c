import Foundation
import Switchboard
import Testing

/// `switchboard cache`, `switchboard usage` with cache hits, and the demo's cache step, through the
/// real executable.
@Suite(.serialized, .timeLimit(.minutes(2))) struct CacheCommandTests {
    static let now = Date()

    static func entry(
        _ text: String, provider: ProviderID, model: String, tags: [String] = [], tenant: String
    ) -> ResponseCacheEntry {
        ResponseCacheEntry(
            key: CacheKey(
                request: ChatRequest(messages: [.user(text)]), scope: CacheScope(rawValue: "|tenant=\(tenant)|")),
            scope: CacheScope(rawValue: "|tenant=\(tenant)|"),
            response: CachedResponse(
                text: "Answer to \(text)", finishReason: .stop, usage: Usage(inputTokens: 10, outputTokens: 5),
                provider: provider, model: model),
            tags: tags, createdAt: now, expiresAt: now.addingTimeInterval(3600))
    }

    /// A home with three cached answers and a ledger with one hit.
    func seededHome() async throws -> (TemporaryDirectory, [String: String]) {
        let home = try TemporaryDirectory()
        let config = try home.write("switchboard.yaml", "usage: { time_zone: UTC }\ncache: { ttl: 1h }\n")
        let store = try SQLiteCacheStore(path: SQLiteCacheStore.path(dataDirectory: home.path))
        for entry in [
            Self.entry("one", provider: .openAI, model: "gpt-4o", tags: ["faq"], tenant: "acme"),
            Self.entry("two", provider: .openAI, model: "gpt-4o", tenant: "globex"),
            Self.entry("three", provider: .ollama, model: "llama3.2:latest", tenant: "acme"),
        ] {
            _ = try await store.insert(entry, maxEntries: nil, now: Self.now)
        }
        _ = try await store.entry(
            for: Self.entry("one", provider: .openAI, model: "gpt-4o", tenant: "acme").key, now: Self.now)
        try await store.flush()
        let ledger = try SQLiteUsageStore(path: SQLiteUsageStore.path(dataDirectory: home.path))
        try await ledger.append([
            UsageRecord(
                requestID: "r1", timestamp: Self.now, provider: .openAI, model: "gpt-4o",
                usage: Usage(inputTokens: 10, outputTokens: 5), cost: Money(microdollars: 75)),
            UsageRecord(
                requestID: "r2", timestamp: Self.now, provider: .openAI, model: "gpt-4o", cost: .zero, cacheHit: true,
                responseCacheKind: "exact", responseCacheSavings: Money(microdollars: 75)),
        ])
        return (home, ["SWITCHBOARD_HOME": home.path, "SWITCHBOARD_CONFIG": config])
    }

    @Test func statsShowEntriesHitsAndLedgerSavings() async throws {
        let (home, environment) = try await seededHome()
        defer { home.remove() }
        let result = try await CLIProcess.run(["cache", "stats"], environment: environment)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("entries     3 (0 semantic, 0 expired)"))
        #expect(result.stdout.contains("hits        1"))
        #expect(result.stdout.contains("ledger      1 hit recorded, $0.000075 saved"))
        #expect(result.stdout.contains("openai    gpt-4o           2        1"))
        let json = try await CLIProcess.run(["cache", "stats", "--json"], environment: environment)
        let parsed = try JSONValue.parse(json.stdout)
        #expect(parsed["entries"] == 3)
        #expect(parsed["ledger_saved_usd"] == "0.000075")
    }

    @Test func clearRemovesWhatTheFiltersMatch() async throws {
        let (home, environment) = try await seededHome()
        defer { home.remove() }
        let byModel = try await CLIProcess.run(["cache", "clear", "--model", "llama3.2"], environment: environment)
        #expect(byModel.status == 0, "stderr: \(byModel.stderr)")
        #expect(byModel.stdout.hasPrefix("removed 1 cached answer "))
        let byScope = try await CLIProcess.run(
            ["cache", "clear", "--scope", "tenant=globex"], environment: environment)
        #expect(byScope.stdout.hasPrefix("removed 1 cached answer "))
        let byTag = try await CLIProcess.run(["cache", "clear", "--tag", "other"], environment: environment)
        #expect(byTag.stdout.hasPrefix("removed 0 cached answers "))
        let remaining = try await SQLiteCacheStore(path: SQLiteCacheStore.path(dataDirectory: home.path))
            .statistics(now: Self.now)
        #expect(remaining.entries == 1)
        let all = try await CLIProcess.run(["cache", "clear"], environment: environment)
        #expect(all.stdout == "removed 1 cached answer (all)\n")
    }

    @Test func clearWithoutACacheSaysSo() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let result = try await CLIProcess.run(["cache", "clear"], environment: ["SWITCHBOARD_HOME": home.path])
        #expect(result.status == 0)
        #expect(result.stdout.contains("there is no cache yet"))
    }

    @Test func usageShowsResponseCacheHits() async throws {
        let (home, environment) = try await seededHome()
        defer { home.remove() }
        let result = try await CLIProcess.run(["usage"], environment: environment)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("RESPONSE CACHE  HITS  SAVED"))
        #expect(result.stdout.contains("TOTAL           1     $0.000075"))
        let json = try await CLIProcess.run(["usage", "--format", "json"], environment: environment)
        #expect(try JSONValue.parse(json.stdout)["total"]?["cache_hits"] == 1)
    }

    @Test func theDemoAnswersARepeatAndAParaphraseFromTheCache() async throws {
        let result = try await CLIProcess.run(["demo"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("9. Response and semantic cache"))
        #expect(result.stdout.contains("cache miss, stored"))
        #expect(result.stdout.contains("cost $0.000000 · exact hit"))
        #expect(result.stdout.contains("cost $0.000000 · semantic hit (similarity 0.9"))
        #expect(result.stdout.contains("openai received 1 request for the 3 questions"))
    }
}
