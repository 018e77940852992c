import Foundation
import GRDB

/// The outbox in the embedded SQLite database (GRDB, WAL mode): one row per entry in `outbox`, each
/// state change one statement in its own transaction, so it survives a crash whole or not at all.
///
/// The request and the result are stored as JSON (see ``ChatRequest``'s `Codable` form), times as
/// integer milliseconds since 1970. The file is readable by its owner only: it holds prompts.
/// Draining is guarded by an exclusive `flock` on `<path>.drain-lock`, which the system releases
/// when the holding process ends, however it ends.
public final class SQLiteOutboxStore: OutboxStore {
    private let database: DatabasePool
    private let lockPath: String

    /// Opens (creating if needed) the database at `path`, creating its folder too.
    public init(path: String) throws {
        database = try SQLiteFile.open(path, migrator: Self.migrator, ownerOnly: true)
        lockPath = path + ".drain-lock"
    }

    /// `<dataDirectory>/outbox.sqlite`.
    public static func path(dataDirectory: String) -> String { dataDirectory + "/outbox.sqlite" }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("outbox_v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE outbox (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        state TEXT NOT NULL,
                        priority INTEGER NOT NULL,
                        attempts INTEGER NOT NULL,
                        created_at_ms INTEGER NOT NULL,
                        updated_at_ms INTEGER NOT NULL,
                        retry_at_ms INTEGER,
                        request_json TEXT NOT NULL,
                        result_json TEXT,
                        error_kind TEXT,
                        error_message TEXT
                    );
                    CREATE INDEX outbox_state ON outbox(state);
                    """)
        }
        return migrator
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return decoder
    }()

    public func insert(_ request: ChatRequest, priority: RequestPriority, at date: Date) async throws -> OutboxEntry {
        let json = String(decoding: try Self.encoder.encode(request), as: UTF8.self)
        let now = Self.milliseconds(date)
        let id = try await database.write { db -> Int64 in
            try db.execute(
                sql: """
                    INSERT INTO outbox (state, priority, attempts, created_at_ms, updated_at_ms, request_json)
                    VALUES (?, ?, 0, ?, ?, ?)
                    """,
                arguments: [OutboxEntryState.pending.rawValue, priority.rawValue, now, now, json])
            return db.lastInsertedRowID
        }
        return OutboxEntry(
            id: id, request: request, priority: priority, createdAt: Self.date(now), updatedAt: Self.date(now))
    }

    public func entries() async throws -> [OutboxEntry] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM outbox ORDER BY id").map(Self.entry(from:))
        }
    }

    public func entry(id: Int64) async throws -> OutboxEntry? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM outbox WHERE id = ?", arguments: [id]).map(Self.entry(from:))
        }
    }

    public func remove(id: Int64) async throws -> OutboxRemoval {
        try await database.write { db -> OutboxRemoval in
            try db.execute(
                sql: "DELETE FROM outbox WHERE id = ? AND state != ?",
                arguments: [id, OutboxEntryState.inFlight.rawValue])
            if db.changesCount == 1 { return .removed }
            let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM outbox WHERE id = ?", arguments: [id]) ?? false
            return exists ? .inFlight : .notFound
        }
    }

    public func markInFlight(id: Int64, at date: Date) async throws -> OutboxEntry? {
        try await database.write { db -> OutboxEntry? in
            try db.execute(
                sql: """
                    UPDATE outbox SET state = ?, attempts = attempts + 1, updated_at_ms = ?
                    WHERE id = ? AND state = ?
                    """,
                arguments: [
                    OutboxEntryState.inFlight.rawValue, Self.milliseconds(date), id, OutboxEntryState.pending.rawValue,
                ])
            guard db.changesCount == 1 else { return nil }
            return try Row.fetchOne(db, sql: "SELECT * FROM outbox WHERE id = ?", arguments: [id])
                .map(Self.entry(from:))
        }
    }

    public func markCompleted(id: Int64, attempt: Int, result: OutboxResult, at date: Date) async throws -> Bool {
        let json = String(decoding: try Self.encoder.encode(result), as: UTF8.self)
        return try await updateInFlight(
            id: id, attempt: attempt,
            set: "state = ?, result_json = ?, retry_at_ms = NULL, updated_at_ms = ?",
            arguments: [OutboxEntryState.completed.rawValue, json, Self.milliseconds(date)])
    }

    public func markPending(
        id: Int64, attempt: Int, error: OutboxFailure?, retryAt: Date?, refundingAttempt: Bool, at date: Date
    ) async throws -> Bool {
        try await updateInFlight(
            id: id, attempt: attempt,
            set: """
                state = ?, attempts = attempts - ?, error_kind = coalesce(?, error_kind),
                error_message = coalesce(?, error_message), retry_at_ms = ?, updated_at_ms = ?
                """,
            arguments: [
                OutboxEntryState.pending.rawValue, refundingAttempt ? 1 : 0, error?.kind, error?.message,
                retryAt.map(Self.milliseconds), Self.milliseconds(date),
            ])
    }

    public func markFailed(id: Int64, attempt: Int, error: OutboxFailure, at date: Date) async throws -> Bool {
        try await updateInFlight(
            id: id, attempt: attempt,
            set: "state = ?, error_kind = ?, error_message = ?, retry_at_ms = NULL, updated_at_ms = ?",
            arguments: [OutboxEntryState.failed.rawValue, error.kind, error.message, Self.milliseconds(date)])
    }

    public func recoverInFlight(at date: Date) async throws -> [Int64] {
        try await database.write { db -> [Int64] in
            let ids = try Int64.fetchAll(
                db, sql: "SELECT id FROM outbox WHERE state = ? ORDER BY id",
                arguments: [OutboxEntryState.inFlight.rawValue])
            try db.execute(
                sql: "UPDATE outbox SET state = ?, updated_at_ms = ? WHERE state = ?",
                arguments: [
                    OutboxEntryState.pending.rawValue, Self.milliseconds(date), OutboxEntryState.inFlight.rawValue,
                ])
            return ids
        }
    }

    public func lockForDraining() async throws -> (any OutboxDrainLock)? {
        try FileDrainLock.acquire(path: lockPath)
    }

    /// One conditional update of an entry that must still be in flight with `attempt`.
    private func updateInFlight(
        id: Int64, attempt: Int, set assignments: String, arguments: [(any DatabaseValueConvertible)?]
    ) async throws -> Bool {
        let sql = "UPDATE outbox SET \(assignments) WHERE id = ? AND state = ? AND attempts = ?"
        let values = StatementArguments(arguments + [id, OutboxEntryState.inFlight.rawValue, attempt])
        return try await database.write { db -> Bool in
            try db.execute(sql: sql, arguments: values)
            return db.changesCount == 1
        }
    }

    private static func entry(from row: Row) throws -> OutboxEntry {
        let request = try decoder.decode(ChatRequest.self, from: Data((row["request_json"] as String).utf8))
        let result = try (row["result_json"] as String?).map {
            try decoder.decode(OutboxResult.self, from: Data($0.utf8))
        }
        let error = (row["error_kind"] as String?).map { kind in
            OutboxFailure(kind: kind, message: row["error_message"] ?? "")
        }
        return OutboxEntry(
            id: row["id"], request: request,
            priority: RequestPriority(rawValue: row["priority"]) ?? .normal,
            state: OutboxEntryState(rawValue: row["state"]) ?? .pending, attempts: row["attempts"],
            createdAt: date(row["created_at_ms"]), updatedAt: date(row["updated_at_ms"]),
            retryAt: (row["retry_at_ms"] as Int64?).map(date), result: result, lastError: error)
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    static func date(_ milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }
}
