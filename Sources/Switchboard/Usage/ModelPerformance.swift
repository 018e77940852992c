import Foundation

/// How one provider and model performed over a set of ledger rows: volume, success rate, latency
/// percentiles, time to first token, generation speed and cost.
public struct ModelPerformance: Hashable, Sendable {
    public var provider: ProviderID
    public var model: String?
    /// Attempts made (skipped ones — an open circuit — not counted).
    public var attempts: Int
    public var successes: Int
    /// Of successful attempts, nearest-rank percentiles.
    public var p50Latency: Duration?
    public var p95Latency: Duration?
    public var p50TimeToFirstToken: Duration?
    /// Output tokens per second of generation (after the first token when it is known), median.
    public var tokensPerSecond: Double?
    /// Exact sum of the priced attempts; ``unpricedAttempts`` say how many had no price.
    public var cost: Money
    public var unpricedAttempts: Int

    /// Successes over attempts, 0…1; `nil` without attempts.
    public var successRate: Double? { attempts == 0 ? nil : Double(successes) / Double(attempts) }

    /// One entry per provider and model in `records`, sorted by provider then model.
    public static func summarize(_ records: [UsageRecord]) -> [ModelPerformance] {
        let groups = Dictionary(grouping: records.filter { $0.outcome != "skipped" }) {
            ModelReference(provider: $0.provider, model: $0.model)
        }
        return groups.map { reference, rows in
            let succeeded = rows.filter(\.succeeded)
            let latencies = succeeded.map(\.latency).sorted()
            let firstTokens = succeeded.compactMap(\.timeToFirstToken).sorted()
            let speeds = succeeded.compactMap(speed).sorted()
            return ModelPerformance(
                provider: reference.provider, model: reference.model, attempts: rows.count,
                successes: succeeded.count, p50Latency: percentile(latencies, 50),
                p95Latency: percentile(latencies, 95),
                p50TimeToFirstToken: percentile(firstTokens, 50), tokensPerSecond: percentile(speeds, 50),
                cost: rows.compactMap(\.cost).reduce(.zero, +),
                unpricedAttempts: rows.filter { $0.cost == nil && $0.succeeded }.count)
        }
        .sorted { ($0.provider.rawValue, $0.model ?? "") < ($1.provider.rawValue, $1.model ?? "") }
    }

    /// The nearest-rank percentile of sorted `values`.
    static func percentile<T>(_ sorted: [T], _ percent: Int) -> T? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((Double(percent) / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    private static func speed(_ record: UsageRecord) -> Double? {
        let generating = record.latency - (record.timeToFirstToken ?? .zero)
        let seconds = Double(generating.components.seconds) + Double(generating.components.attoseconds) / 1e18
        guard record.usage.outputTokens > 0, seconds > 0 else { return nil }
        return Double(record.usage.outputTokens) / seconds
    }
}
