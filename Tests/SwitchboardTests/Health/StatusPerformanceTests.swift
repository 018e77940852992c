import Foundation
import Switchboard
import SwitchboardTesting
import Testing

/// Today's performance per provider and model, from the usage ledger, in `switchboard status`.
@Suite struct StatusPerformanceTests {
    static func record(
        _ model: String, latencyMS: Int, ttftMS: Int? = nil, output: Int = 0, cost: Money? = Money(microdollars: 10),
        outcome: String = "success", at date: Date = Date()
    ) -> UsageRecord {
        UsageRecord(
            requestID: UUID().uuidString, timestamp: date, provider: .openAI, model: model,
            usage: Usage(inputTokens: 10, outputTokens: output), cost: outcome == "success" ? cost : nil,
            latency: .milliseconds(latencyMS), timeToFirstToken: ttftMS.map { .milliseconds($0) }, outcome: outcome)
    }

    @Test func summarizesPercentilesSuccessSpeedAndExactCost() {
        // Ten successes at 100…1000 ms and two failures.
        var rows = (1...10).map { Self.record("m", latencyMS: $0 * 100, ttftMS: 50, output: 95) }
        rows += [
            Self.record("m", latencyMS: 30, outcome: "overloaded"), Self.record("m", latencyMS: 40, outcome: "timeout"),
        ]
        rows.append(Self.record("other", latencyMS: 10, cost: nil))
        let summary = ModelPerformance.summarize(rows)
        #expect(summary.map(\.model) == ["m", "other"])
        let model = summary[0]
        #expect(model.attempts == 12 && model.successes == 10)
        #expect(model.successRate == 10.0 / 12.0)
        #expect(model.p50Latency == .milliseconds(500))  // nearest rank: the 5th of 10
        #expect(model.p95Latency == .milliseconds(1000))  // the 10th of 10
        #expect(model.p50TimeToFirstToken == .milliseconds(50))
        // 95 tokens after the first token each; speeds 95 / 0.05 … 95 / 0.95 s, the 5th slowest 95 / 0.55 s.
        #expect(model.tokensPerSecond.map { abs($0 - 95 / 0.55) < 0.01 } == true)
        #expect(model.cost == Money(microdollars: 100))
        #expect(summary[1].unpricedAttempts == 1)
    }

    @Test func statusShowsTodayFromTheLedger() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let store = try SQLiteUsageStore(path: SQLiteUsageStore.path(dataDirectory: home.path))
        try await store.append(
            [
                Self.record("gpt-4o-mini", latencyMS: 200, ttftMS: 80, output: 60),
                Self.record("gpt-4o-mini", latencyMS: 400, ttftMS: 120, output: 60),
                Self.record("gpt-4o-mini", latencyMS: 900, outcome: "rateLimited"),
                Self.record("gpt-4o-mini", latencyMS: 100, at: Date().addingTimeInterval(-3 * 86_400)),
            ])
        try await ProviderSimulator.withSimulator { simulator in
            let environment = [
                "OPENAI_API_KEY": testOpenAIKey, "OPENAI_BASE_URL": simulator.baseURL(for: .openAI),
                "SWITCHBOARD_HOME": home.path, "TZ": "UTC",
            ]
            let json = try await CLIProcess.run(["status", "--no-discover", "--json"], environment: environment)
            #expect(json.status == 0, "stderr: \(json.stderr)")
            let today = try JSONValue.parse(json.stdout)["today"]
            #expect(
                today == [
                    [
                        "provider": "openai", "model": "gpt-4o-mini", "attempts": 3, "successes": 2,
                        "p50_latency_ms": 200, "p95_latency_ms": 400, "p50_ttft_ms": 80, "tokens_per_second": 214.3,
                        "cost_usd": "0.000020", "unpriced_attempts": 0,
                    ]
                ])
            let table = try await CLIProcess.run(["status", "--no-discover"], environment: environment)
            #expect(table.stdout.contains("Today"))
            let row = try #require(table.stdout.split(separator: "\n").first { $0.hasPrefix("openai/gpt-4o-mini") })
            #expect(row.contains("67 %") && row.contains("200 ms") && row.contains("400 ms"))
        }
    }
}
