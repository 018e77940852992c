import Foundation

/// Ledger rows summed by provider, model, feature, user or day, with the most expensive features
/// and prompts: what `switchboard usage` prints.
public struct UsageReport: Sendable {
    /// What rows are grouped by.
    public enum Grouping: String, Sendable, CaseIterable {
        case provider, model, feature, user, day
    }

    /// One group's totals.
    public struct Line: Hashable, Sendable {
        public var key: String
        /// Distinct requests (a request's attempts count once).
        public var requests = 0
        /// Requests whose last attempt did not succeed.
        public var failedRequests = 0
        public var usage = Usage.zero
        /// The cost of the rows with a known price.
        public var cost = Money.zero
        /// Rows with tokens but no price: their cost is missing from ``cost``.
        public var unpricedRows = 0
        public var cacheSavings = Money.zero
        /// Requests answered from the response cache.
        public var cacheHits = 0
        /// What those answers would have cost (where the price is known).
        public var responseCacheSavings = Money.zero

        /// Failed requests over requests, 0…1.
        public var errorRate: Double { requests == 0 ? 0 : Double(failedRequests) / Double(requests) }
    }

    public var grouping: Grouping
    /// Groups, most expensive first (then by key).
    public var lines: [Line]
    public var total: Line
    /// Features by cost, most expensive first.
    public var topFeatures: [Line]
    /// Prompt fingerprints by cost, most expensive first.
    public var topPrompts: [Line]

    /// Sums `records`; days are calendar days of `calendar`; `top` limits the expensive lists.
    public init(records: [UsageRecord], by grouping: Grouping, calendar: PeriodCalendar, top: Int = 5) {
        self.grouping = grouping
        func key(_ record: UsageRecord) -> String {
            switch grouping {
            case .provider: record.provider.rawValue
            case .model: record.model ?? "-"
            case .feature: record.feature ?? "-"
            case .user: record.user ?? "-"
            case .day: calendar.dayString(record.timestamp)
            }
        }
        lines = Self.lines(records, key: key)
        total = Self.lines(records) { _ in "total" }.first ?? Line(key: "total")
        topFeatures = Array(Self.lines(records) { $0.feature ?? "-" }.prefix(top))
        topPrompts = Array(Self.lines(records) { $0.promptFingerprint ?? "-" }.prefix(top))
        if grouping == .day { lines.sort { $0.key < $1.key } }
    }

    private static func lines(_ records: [UsageRecord], key: (UsageRecord) -> String) -> [Line] {
        var lines: [String: Line] = [:]
        var lastAttempt: [String: (attempt: Int, succeeded: Bool, key: String)] = [:]
        for record in records {
            let name = key(record)
            var line = lines[name] ?? Line(key: name)
            line.usage += record.usage
            if let cost = record.cost {
                line.cost += cost
            } else if record.usage.totalTokens > 0 {
                line.unpricedRows += 1
            }
            line.cacheSavings += record.cacheSavings ?? .zero
            if record.cacheHit { line.cacheHits += 1 }
            line.responseCacheSavings += record.responseCacheSavings ?? .zero
            lines[name] = line
            let id = name + "\u{1F}" + record.requestID
            if let seen = lastAttempt[id] {
                if record.attempt > seen.attempt { lastAttempt[id] = (record.attempt, record.succeeded, name) }
            } else {
                lastAttempt[id] = (record.attempt, record.succeeded, name)
            }
        }
        for last in lastAttempt.values {
            lines[last.key]?.requests += 1
            if !last.succeeded { lines[last.key]?.failedRequests += 1 }
        }
        return lines.values.sorted { ($0.cost, $1.key) > ($1.cost, $0.key) }
    }
}
