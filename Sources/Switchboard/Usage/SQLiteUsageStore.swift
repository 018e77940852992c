import Foundation
import GRDB

/// The usage ledger in the embedded SQLite database (GRDB, WAL mode): one row per attempt in
/// `usage_ledger`, one transaction per ``append(_:)``.
///
/// Money is stored as integer picodollars (`NULL` for an unknown cost), durations as integer
/// microseconds, times as integer milliseconds since 1970.
public final class SQLiteUsageStore: UsageStore {
    private let database: DatabasePool

    /// Opens (creating if needed) the database at `path`, creating its folder too.
    public init(path: String) throws {
        database = try SQLiteFile.open(path, migrator: Self.migrator)
    }

    /// `<dataDirectory>/usage.sqlite`.
    public static func path(dataDirectory: String) -> String { dataDirectory + "/usage.sqlite" }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("usage_ledger_v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE usage_ledger (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        request_id TEXT NOT NULL,
                        attempt INTEGER NOT NULL,
                        timestamp_ms INTEGER NOT NULL,
                        provider TEXT NOT NULL,
                        model TEXT,
                        key_fingerprint TEXT,
                        feature TEXT,
                        user TEXT,
                        task_type TEXT,
                        input_tokens INTEGER NOT NULL,
                        cache_read_tokens INTEGER NOT NULL,
                        cache_write_tokens INTEGER NOT NULL,
                        cache_write_long_lived_tokens INTEGER NOT NULL,
                        output_tokens INTEGER NOT NULL,
                        reasoning_tokens INTEGER NOT NULL,
                        cost_picodollars INTEGER,
                        cache_savings_picodollars INTEGER,
                        latency_us INTEGER NOT NULL,
                        time_to_first_token_us INTEGER,
                        outcome TEXT NOT NULL,
                        cache_hit INTEGER NOT NULL,
                        prompt_fingerprint TEXT,
                        streamed INTEGER NOT NULL
                    );
                    CREATE INDEX usage_ledger_time ON usage_ledger(timestamp_ms);
                    """)
        }
        migrator.registerMigration("usage_ledger_v2_component") { db in
            try db.execute(sql: "ALTER TABLE usage_ledger ADD COLUMN component TEXT")
        }
        migrator.registerMigration("usage_ledger_v2_response_cache") { db in
            try db.execute(
                sql: """
                    ALTER TABLE usage_ledger ADD COLUMN response_cache_kind TEXT;
                    ALTER TABLE usage_ledger ADD COLUMN response_cache_savings_picodollars INTEGER;
                    """)
        }
        migrator.registerMigration("usage_ledger_v3_component_time") { db in
            try db.execute(sql: "CREATE INDEX usage_ledger_component_time ON usage_ledger(component, timestamp_ms)")
        }
        return migrator
    }

    public func append(_ records: [UsageRecord]) async throws {
        guard !records.isEmpty else { return }
        try await database.write { db in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO usage_ledger (request_id, attempt, timestamp_ms, provider, model, key_fingerprint,
                        feature, user, task_type, input_tokens, cache_read_tokens, cache_write_tokens,
                        cache_write_long_lived_tokens, output_tokens, reasoning_tokens, cost_picodollars,
                        cache_savings_picodollars, latency_us, time_to_first_token_us, outcome, cache_hit,
                        prompt_fingerprint, streamed, component, response_cache_kind,
                        response_cache_savings_picodollars)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for record in records {
                let values: [(any DatabaseValueConvertible)?] = [
                    record.requestID, record.attempt, Self.milliseconds(record.timestamp), record.provider.rawValue,
                    record.model, record.keyFingerprint, record.feature, record.user, record.taskType,
                    record.usage.inputTokens, record.usage.cacheReadTokens, record.usage.cacheWriteTokens,
                    record.usage.cacheWriteLongLivedTokens, record.usage.outputTokens, record.usage.reasoningTokens,
                    record.cost?.picodollars, record.cacheSavings?.picodollars, Self.microseconds(record.latency),
                    record.timeToFirstToken.map(Self.microseconds), record.outcome, record.cacheHit,
                    record.promptFingerprint, record.streamed, record.component, record.responseCacheKind,
                    record.responseCacheSavings?.picodollars,
                ]
                try statement.execute(arguments: StatementArguments(values))
            }
        }
    }

    public func records(since: Date?, until: Date?) async throws -> [UsageRecord] {
        let lower = since.map(Self.milliseconds) ?? Int64.min
        let upper = until.map(Self.milliseconds) ?? Int64.max
        return try await database.read { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT * FROM usage_ledger WHERE timestamp_ms >= ? AND timestamp_ms < ? ORDER BY timestamp_ms, id",
                arguments: [lower, upper]
            ).map(Self.record(from:))
        }
    }

    public func cost(ofComponent component: String, since: Date?) async throws -> Money {
        let lower = since.map(Self.milliseconds) ?? Int64.min
        return try await database.read { db in
            let total = try Int64.fetchOne(
                db,
                sql: """
                    SELECT COALESCE(SUM(cost_picodollars), 0) FROM usage_ledger
                    WHERE component = ? AND timestamp_ms >= ?
                    """,
                arguments: [component, lower])
            return Money(picodollars: total ?? 0)
        }
    }

    private static func record(from row: Row) -> UsageRecord {
        UsageRecord(
            requestID: row["request_id"], attempt: row["attempt"],
            timestamp: Date(timeIntervalSince1970: Double(row["timestamp_ms"] as Int64) / 1000),
            provider: ProviderID(row["provider"] as String), model: row["model"],
            keyFingerprint: row["key_fingerprint"],
            feature: row["feature"], user: row["user"], component: row["component"], taskType: row["task_type"],
            usage: Usage(
                inputTokens: row["input_tokens"], cacheReadTokens: row["cache_read_tokens"],
                cacheWriteTokens: row["cache_write_tokens"],
                cacheWriteLongLivedTokens: row["cache_write_long_lived_tokens"],
                outputTokens: row["output_tokens"], reasoningTokens: row["reasoning_tokens"]),
            cost: (row["cost_picodollars"] as Int64?).map(Money.init(picodollars:)),
            cacheSavings: (row["cache_savings_picodollars"] as Int64?).map(Money.init(picodollars:)),
            latency: .microseconds(row["latency_us"] as Int64),
            timeToFirstToken: (row["time_to_first_token_us"] as Int64?).map { .microseconds($0) },
            outcome: row["outcome"], cacheHit: row["cache_hit"], promptFingerprint: row["prompt_fingerprint"],
            streamed: row["streamed"], responseCacheKind: row["response_cache_kind"],
            responseCacheSavings: (row["response_cache_savings_picodollars"] as Int64?).map(Money.init(picodollars:)))
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    static func microseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000
    }
}
