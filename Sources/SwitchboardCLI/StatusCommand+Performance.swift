import Foundation
import Switchboard

/// The performance part of `switchboard status`: today's attempts per provider and model from the
/// usage ledger — success rate, p50 / p95 latency, time to first token, tokens per second, cost.
extension StatusCommand {
    /// Today's rows (in the configured time zone) summarised; empty when there is no ledger file.
    static func performance(
        _ configuration: SwitchboardConfiguration, now: Date = Date()
    ) async throws
        -> [ModelPerformance]
    {
        let path =
            configuration.usage.ledgerPath ?? SQLiteUsageStore.path(dataDirectory: configuration.dataDirectory)
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        let today = PeriodCalendar(timeZone: configuration.usage.timeZone).start(of: .daily, containing: now)
        let records = try await SQLiteUsageStore(path: path).records(since: today, until: nil)
        return ModelPerformance.summarize(records)
    }

    static func performanceTable(_ rows: [ModelPerformance], output: TerminalOutput) -> String {
        guard !rows.isEmpty else { return "" }
        func ms(_ duration: Duration?) -> String { milliseconds(duration).map { "\($0) ms" } ?? "—" }
        let lines = rows.map { row -> [String] in
            [
                row.model.map { "\(row.provider)/\($0)" } ?? row.provider.rawValue, String(row.attempts),
                row.successRate.map { "\(Int(($0 * 100).rounded())) %" } ?? "—", ms(row.p50Latency),
                ms(row.p95Latency), ms(row.p50TimeToFirstToken),
                row.tokensPerSecond.map { String(format: "%.1f", $0) } ?? "—",
                row.cost.formatted() + (row.unpricedAttempts > 0 ? " + \(row.unpricedAttempts) unpriced" : ""),
            ]
        }
        return "\n" + output.bold("Today") + "\n"
            + Table(
                header: ["MODEL", "ATTEMPTS", "SUCCESS", "P50", "P95", "TTFT P50", "TOKENS/S", "COST"], rows: lines
            ).render(output: output)
    }

    static func performanceJSON(_ rows: [ModelPerformance]) -> JSONValue {
        func number(_ value: Int?) -> JSONValue { value.map(JSONValue.integer) ?? .null }
        return .array(
            rows.map { row in
                .object([
                    "provider": .string(row.provider.rawValue), "model": row.model.map(JSONValue.string) ?? .null,
                    "attempts": .integer(row.attempts), "successes": .integer(row.successes),
                    "p50_latency_ms": number(milliseconds(row.p50Latency)),
                    "p95_latency_ms": number(milliseconds(row.p95Latency)),
                    "p50_ttft_ms": number(milliseconds(row.p50TimeToFirstToken)),
                    "tokens_per_second": row.tokensPerSecond.map { .number(($0 * 10).rounded() / 10) } ?? .null,
                    "cost_usd": .string(row.cost.plainDecimalString()),
                    "unpriced_attempts": .integer(row.unpricedAttempts),
                ])
            })
    }
}
