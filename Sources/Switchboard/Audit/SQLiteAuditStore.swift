import Foundation
import GRDB

/// The audit trail in SQLite (GRDB, WAL mode): table `audit_log`, one row per entry, and
/// `audit_head` with the last sequence number and hash.
///
/// Triggers refuse `UPDATE` and `DELETE` on `audit_log`, so the trail is append-only through SQLite;
/// whoever edits the file another way is caught by ``AuditStore/verify()``. Each ``append(_:)`` reads
/// the head and writes the chained rows in one immediate transaction, so processes sharing the file
/// (the library and `switchboard keys`) extend one chain.
public final class SQLiteAuditStore: AuditStore {
    private let database: DatabasePool

    /// Opens (creating if needed) the database at `path`, creating its folder too.
    public init(path: String) throws {
        database = try SQLiteFile.open(path, migrator: Self.migrator)
    }

    /// `<dataDirectory>/audit.sqlite`.
    public static func path(dataDirectory: String) -> String { dataDirectory + "/audit.sqlite" }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("audit_log_v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE audit_log (
                        sequence INTEGER PRIMARY KEY,
                        time_ms INTEGER NOT NULL,
                        action TEXT NOT NULL,
                        provider TEXT,
                        model TEXT,
                        key_name TEXT,
                        key_fingerprint TEXT,
                        component TEXT,
                        feature TEXT,
                        user TEXT,
                        outcome TEXT NOT NULL,
                        detail TEXT,
                        previous_hash TEXT NOT NULL,
                        hash TEXT NOT NULL
                    );
                    CREATE INDEX audit_log_time ON audit_log(time_ms);
                    CREATE TABLE audit_head (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        sequence INTEGER NOT NULL,
                        hash TEXT NOT NULL
                    );
                    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
                        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                    """)
        }
        return migrator
    }

    public func append(_ events: [AuditEvent]) async throws {
        guard !events.isEmpty else { return }
        try await database.write { db in
            let head = try Self.head(db)
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO audit_log (sequence, time_ms, action, provider, model, key_name, key_fingerprint,
                        component, feature, user, outcome, detail, previous_hash, hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            let entries = AuditChain.chain(events, after: head)
            for entry in entries {
                let event = entry.event
                let values: [(any DatabaseValueConvertible)?] = [
                    entry.sequence, AuditChain.milliseconds(event.date), event.action.rawValue,
                    event.provider?.rawValue, event.model, event.keyName, event.keyFingerprint, event.component,
                    event.feature, event.user, event.outcome, event.detail, entry.previousHash, entry.hash,
                ]
                try statement.execute(arguments: StatementArguments(values))
            }
            if let last = entries.last {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO audit_head (id, sequence, hash) VALUES (1, ?, ?)",
                    arguments: [last.sequence, last.hash])
            }
        }
    }

    public func entries(since: Date?, until: Date?) async throws -> [AuditEntry] {
        let lower = since.map(AuditChain.milliseconds) ?? Int64.min
        let upper = until.map(AuditChain.milliseconds) ?? Int64.max
        return try await database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM audit_log WHERE time_ms >= ? AND time_ms < ? ORDER BY sequence",
                arguments: [lower, upper]
            ).map(Self.entry(from:))
        }
    }

    /// When each key (by fingerprint) was last used for a provider call.
    public func lastUse() async throws -> [String: Date] {
        try await database.read { db in
            var result: [String: Date] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT key_fingerprint, MAX(time_ms) AS last FROM audit_log
                    WHERE action = 'key_used' AND key_fingerprint IS NOT NULL GROUP BY key_fingerprint
                    """)
            {
                result[row["key_fingerprint"]] = Date(timeIntervalSince1970: Double(row["last"] as Int64) / 1000)
            }
            return result
        }
    }

    public func head() async throws -> AuditHead? {
        try await database.read { db in try Self.head(db) }
    }

    private static func head(_ db: Database) throws -> AuditHead? {
        try Row.fetchOne(db, sql: "SELECT sequence, hash FROM audit_head WHERE id = 1").map {
            AuditHead(sequence: $0["sequence"], hash: $0["hash"])
        }
    }

    private static func entry(from row: Row) -> AuditEntry {
        AuditEntry(
            sequence: row["sequence"],
            event: AuditEvent(
                date: Date(timeIntervalSince1970: Double(row["time_ms"] as Int64) / 1000),
                action: AuditEvent.Action(rawValue: row["action"]),
                provider: (row["provider"] as String?).map { ProviderID($0) }, model: row["model"],
                keyName: row["key_name"], keyFingerprint: row["key_fingerprint"], component: row["component"],
                feature: row["feature"], user: row["user"], outcome: row["outcome"], detail: row["detail"]),
            previousHash: row["previous_hash"], hash: row["hash"])
    }
}
