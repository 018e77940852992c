import Foundation
import GRDBSQLite

/// A read-only SQLite connection with the exact-hit query prepared once: the hot path of
/// ``SQLiteCacheStore/entry(for:now:)``.
///
/// GRDB's async read hops to a connection's dispatch queue and back and wraps every read in a
/// transaction, which costs far more than the read itself. A hit is one lookup in the primary-key
/// B-tree of a WAL database, which never waits for a writer, so it runs on the caller's thread.
///
/// `@unchecked Sendable`: the connection and statement pointers are used by one thread at a time —
/// a connection is taken out of ``SQLiteCacheStore``'s pool under its lock, used, and put back; it is
/// never shared while in use.
final class SQLiteReadConnection: @unchecked Sendable {
    /// Why a read did not complete; the caller then reads through GRDB instead.
    struct Failure: Error {
        var code: Int32
    }

    private let connection: OpaquePointer
    private let statement: OpaquePointer

    /// The columns, in the order ``entry(from:)`` reads them.
    static let columns = """
        key, scope, provider, model, requested_model, task_type, tags, response_id, text, tool_calls, finish_reason,
        provider_finish_reason, has_usage, input_tokens, cache_read_tokens, cache_write_tokens,
        cache_write_long_lived_tokens, output_tokens, reasoning_tokens, created_ms, expires_ms, sensitive, hits,
        cost_picodollars
        """

    /// Opens `path` read-only; `nil` when it cannot be opened or the query not prepared.
    init?(path: String) {
        var connection: OpaquePointer?
        guard sqlite3_open_v2(path, &connection, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK,
            let connection
        else {
            sqlite3_close_v2(connection)
            return nil
        }
        var statement: OpaquePointer?
        let sql = """
            SELECT \(Self.columns) FROM response_cache WHERE key = ?1 AND (expires_ms IS NULL OR expires_ms > ?2)
            """
        guard sqlite3_prepare_v3(connection, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK,
            let statement
        else {
            sqlite3_close_v2(connection)
            return nil
        }
        self.connection = connection
        self.statement = statement
    }

    deinit {
        sqlite3_finalize(statement)
        sqlite3_close_v2(connection)
    }

    /// The unexpired entry under `key` at `now` (milliseconds), without its prompt vector.
    func entry(for key: String, now: Int64) throws(Failure) -> ResponseCacheEntry? {
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        // SQLITE_TRANSIENT: SQLite copies the text, so the Swift string need not outlive the call.
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        guard sqlite3_bind_text(statement, 1, key, -1, transient) == SQLITE_OK,
            sqlite3_bind_int64(statement, 2, now) == SQLITE_OK
        else { throw Failure(code: sqlite3_errcode(connection)) }
        switch sqlite3_step(statement) {
        case SQLITE_ROW: return try entry()
        case SQLITE_DONE: return nil
        case let code: throw Failure(code: code)
        }
    }

    private func entry() throws(Failure) -> ResponseCacheEntry {
        let usage: Usage? =
            integer(12) != 0
            ? Usage(
                inputTokens: Int(integer(13)), cacheReadTokens: Int(integer(14)), cacheWriteTokens: Int(integer(15)),
                cacheWriteLongLivedTokens: Int(integer(16)), outputTokens: Int(integer(17)),
                reasoningTokens: Int(integer(18))) : nil
        let toolCalls: [ToolCall]
        do {
            toolCalls = try text(9).map(SQLiteCacheStore.decodeToolCalls) ?? []
        } catch {
            throw Failure(code: SQLITE_CORRUPT)
        }
        return ResponseCacheEntry(
            key: CacheKey(rawValue: text(0) ?? ""), scope: CacheScope(rawValue: text(1) ?? "|"),
            response: CachedResponse(
                id: text(7), text: text(8) ?? "", toolCalls: toolCalls,
                finishReason: FinishReason(rawValue: text(10) ?? "stop"), providerFinishReason: text(11),
                usage: usage, provider: ProviderID(text(2) ?? ""), model: text(3) ?? ""),
            requestedModel: text(4), taskType: text(5).map(TaskType.init(rawValue:)),
            tags: SQLiteCacheStore.tags(fromColumn: text(6) ?? "|"),
            createdAt: Date(timeIntervalSince1970: Double(integer(19)) / 1000),
            expiresAt: isNull(20) ? nil : Date(timeIntervalSince1970: Double(integer(20)) / 1000),
            sensitive: integer(21) != 0, hits: Int(integer(22)),
            cost: isNull(23) ? nil : Money(picodollars: integer(23)))
    }

    private func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }

    private func integer(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }

    private func text(_ column: Int32) -> String? {
        guard let bytes = sqlite3_column_text(statement, column) else { return nil }
        let count = Int(sqlite3_column_bytes(statement, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }
}
