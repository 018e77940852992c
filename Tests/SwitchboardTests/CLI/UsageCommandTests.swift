import Foundation
import Switchboard
import Testing

/// `switchboard usage` end to end: a ledger seeded through the library, read by the real executable.
@Suite(.serialized, .timeLimit(.minutes(2))) struct UsageCommandTests {
    static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    /// Seeds `<home>/usage.sqlite` and returns the environment pointing the command at it (UTC days).
    func seededHome() async throws -> (TemporaryDirectory, [String: String]) {
        let home = try TemporaryDirectory()
        let config = try home.write("switchboard.yaml", "usage: { time_zone: UTC }\n")
        let store = try SQLiteUsageStore(path: SQLiteUsageStore.path(dataDirectory: home.path))
        let search = "search"
        try await store.append([
            UsageRecord(
                requestID: "r1", timestamp: Self.date("2026-11-02T10:00:00Z"), provider: .openAI, model: "gpt-4o-mini",
                feature: search, user: "ada", usage: Usage(inputTokens: 1000, outputTokens: 200),
                cost: Money(microdollars: 270), cacheSavings: Money(microdollars: 10), promptFingerprint: "aaaaaaaaaaaa"
            ),
            UsageRecord(
                requestID: "r2", attempt: 1, timestamp: Self.date("2026-11-02T11:00:00Z"), provider: .openAI,
                model: "gpt-4o-mini", feature: search, cost: .zero, outcome: "server", promptFingerprint: "bbbbbbbbbbbb"
            ),
            UsageRecord(
                requestID: "r2", attempt: 2, timestamp: Self.date("2026-11-02T11:00:00Z"), provider: .anthropic,
                model: "claude-haiku-4-5", feature: search, usage: Usage(inputTokens: 100, outputTokens: 40),
                cost: Money(microdollars: 300), promptFingerprint: "bbbbbbbbbbbb"),
            UsageRecord(
                requestID: "r3", timestamp: Self.date("2026-11-03T09:00:00Z"), provider: "local-vllm", model: "mystery",
                feature: "chat", user: "bob", usage: Usage(inputTokens: 50, outputTokens: 50), cost: nil,
                promptFingerprint: "cccccccccccc"),
            UsageRecord(
                requestID: "r0", timestamp: Self.date("2026-10-30T09:00:00Z"), provider: .openAI, model: "gpt-4o",
                usage: Usage(inputTokens: 1, outputTokens: 1), cost: Money(microdollars: 1000)),
        ])
        return (home, ["SWITCHBOARD_HOME": home.path, "SWITCHBOARD_CONFIG": config])
    }

    @Test func tableByProviderSince() async throws {
        let (home, environment) = try await seededHome()
        defer { home.remove() }
        let result = try await CLIProcess.run(["usage", "--since", "2026-11-01"], environment: environment)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(
            result.stdout == """
                PROVIDER    REQUESTS  TOKENS  COST       UNPRICED  CACHE SAVINGS  ERROR RATE
                anthropic   1         140     $0.000300  0         $0.000000      0.0%
                openai      2         1200    $0.000270  0         $0.000010      50.0%
                local-vllm  1         100     $0.000000  1         $0.000000      0.0%
                TOTAL       3         1440    $0.000570  1         $0.000010      0.0%

                MOST EXPENSIVE FEATURES  REQUESTS  TOKENS  COST
                search                   2         1340    $0.000570
                chat                     1         100     $0.000000

                MOST EXPENSIVE PROMPTS  REQUESTS  TOKENS  COST
                bbbbbbbbbbbb            1         140     $0.000300
                aaaaaaaaaaaa            1         1200    $0.000270
                cccccccccccc            1         100     $0.000000

                """)
    }

    @Test func csvByDayWithUntil() async throws {
        let (home, environment) = try await seededHome()
        defer { home.remove() }
        let result = try await CLIProcess.run(
            ["usage", "--by", "day", "--until", "2026-11-02", "--format", "csv"], environment: environment)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(
            result.stdout == """
                day,requests,failed_requests,input_tokens,cache_read_tokens,cache_write_tokens,output_tokens,reasoning_tokens,total_tokens,cost_usd,unpriced_rows,cache_savings_usd,error_rate
                2026-10-30,1,0,1,0,0,1,0,2,0.001,0,0,0.0000
                2026-11-02,2,0,1100,0,0,240,0,1340,0.00057,0,0.00001,0.0000

                """)
    }

    @Test func jsonByFeature() async throws {
        let (home, environment) = try await seededHome()
        defer { home.remove() }
        let result = try await CLIProcess.run(
            [
                "usage", "--by", "feature", "--since", "2026-11-01", "--until", "2026-11-30", "--format", "json",
                "--top", "1",
            ],
            environment: environment)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let json = try JSONValue.parse(result.stdout)
        #expect(json["by"] == "feature")
        #expect(json["since"] == "2026-11-01")
        guard case .array(let rows) = json["rows"], case .array(let top) = json["top_prompts"] else {
            Issue.record("no rows: \(result.stdout)")
            return
        }
        #expect(rows.count == 2)
        #expect(rows.first?["key"] == "search")
        #expect(rows.first?["requests"] == 2)
        #expect(rows.first?["cost_usd"] == "0.00057")
        #expect(rows.first?["cache_savings_usd"] == "0.00001")
        #expect(rows.last?["unpriced_rows"] == 1)
        #expect(json["total"]?["total_tokens"] == 1440)
        #expect(top.count == 1 && top.first?["key"] == "bbbbbbbbbbbb")
    }

    @Test func badArgumentsExitTwo() async throws {
        let result = try await CLIProcess.run(["usage", "--by", "colour"])
        #expect(result.status == 2)
        let day = try await CLIProcess.run(["usage", "--since", "yesterday"])
        #expect(day.status == 2)
        #expect(day.stderr.contains("not a day"))
    }
}
