import Foundation
import GRDB
import Synchronization

/// The response and embedding caches in the embedded SQLite database (GRDB, WAL mode), by default
/// `<dataDirectory>/cache.sqlite`: one row per answer in `response_cache`, one per vector in
/// `embedding_cache`.
///
/// A hit is one indexed read. Its use (hit count, recency for least-recently-used eviction) is
/// buffered in memory and written with the next insert or removal, every 256 hits, and by
/// ``flush()``, so reads never wait for a write. Times are integer milliseconds since 1970; vectors
/// are little-endian `Float32` blobs.
public final class SQLiteCacheStore: ResponseCacheStore, EmbeddingCacheStore {
    private struct PendingUse {
        var uses: [String: (recency: Int64, hits: Int)] = [:]
        var embeddingUses: [EmbeddingUse: Int64] = [:]
        var count: Int { uses.count + embeddingUses.count }
    }

    private struct EmbeddingUse: Hashable {
        var model: EmbeddingModelKey
        var inputHash: String
    }

    private struct Readers {
        var idle: [SQLiteReadConnection] = []
        var opened = 0
    }

    private let path: String
    private let database: DatabasePool
    private let recency: Atomic<Int64>
    private let pending = Mutex(PendingUse())
    private let readers = Mutex(Readers())
    private let readerLimit: Int
    private static let flushThreshold = 256

    /// Opens (creating if needed) the database at `path`, creating its folder too.
    ///
    /// - Parameter readConnections: how many read-only connections serve exact hits on the caller's
    ///   thread; 0 sends every read through GRDB's async reader pool.
    public init(path: String, readConnections: Int = 4) throws {
        self.path = path
        readerLimit = max(readConnections, 0)
        // WAL with NORMAL sync cannot corrupt the file; a crash may lose the last entries, which a cache can.
        database = try SQLiteFile.open(path, migrator: Self.migrator) { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        let latest = try database.read { db in
            try Int64.fetchOne(
                db,
                sql: """
                    SELECT MAX(value) FROM (SELECT MAX(recency) AS value FROM response_cache
                    UNION ALL SELECT MAX(recency) FROM embedding_cache)
                    """) ?? 0
        }
        recency = Atomic(latest)
    }

    /// `<dataDirectory>/cache.sqlite`.
    public static func path(dataDirectory: String) -> String { dataDirectory + "/cache.sqlite" }

    public var isLocal: Bool { true }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("response_cache_v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE response_cache (
                        key TEXT PRIMARY KEY NOT NULL,
                        scope TEXT NOT NULL,
                        provider TEXT NOT NULL,
                        model TEXT NOT NULL,
                        requested_model TEXT,
                        task_type TEXT,
                        tags TEXT NOT NULL,
                        response_id TEXT,
                        text TEXT NOT NULL,
                        tool_calls TEXT,
                        finish_reason TEXT NOT NULL,
                        provider_finish_reason TEXT,
                        has_usage INTEGER NOT NULL,
                        input_tokens INTEGER NOT NULL,
                        cache_read_tokens INTEGER NOT NULL,
                        cache_write_tokens INTEGER NOT NULL,
                        cache_write_long_lived_tokens INTEGER NOT NULL,
                        output_tokens INTEGER NOT NULL,
                        reasoning_tokens INTEGER NOT NULL,
                        created_ms INTEGER NOT NULL,
                        expires_ms INTEGER,
                        sensitive INTEGER NOT NULL,
                        semantic_partition TEXT,
                        embedding_model TEXT,
                        embedding BLOB,
                        hits INTEGER NOT NULL DEFAULT 0,
                        recency INTEGER NOT NULL,
                        cost_picodollars INTEGER
                    ) WITHOUT ROWID;
                    CREATE INDEX response_cache_recency ON response_cache(recency);
                    CREATE INDEX response_cache_expiry ON response_cache(expires_ms) WHERE expires_ms IS NOT NULL;
                    CREATE INDEX response_cache_model ON response_cache(model);
                    CREATE TABLE embedding_cache (
                        provider TEXT NOT NULL,
                        model TEXT NOT NULL,
                        dimensions INTEGER NOT NULL,
                        input_hash TEXT NOT NULL,
                        vector BLOB NOT NULL,
                        recency INTEGER NOT NULL,
                        PRIMARY KEY (provider, model, dimensions, input_hash)
                    ) WITHOUT ROWID;
                    CREATE INDEX embedding_cache_recency ON embedding_cache(recency);
                    """)
        }
        return migrator
    }

    private func nextRecency() -> Int64 { recency.add(1, ordering: .relaxed).newValue }

    // MARK: Responses

    /// The entry without its prompt vector (``ResponseCacheEntry/semantic`` is `nil`).
    ///
    /// The read runs on the caller's thread on one of a few read-only connections with the query
    /// prepared (see ``SQLiteReadConnection``); when all are in use, or SQLite reports a problem, it goes
    /// through GRDB's reader pool instead.
    public func entry(for key: CacheKey, now: Date) async throws -> ResponseCacheEntry? {
        let nowMilliseconds = Self.milliseconds(now)
        var read: Result<ResponseCacheEntry?, SQLiteReadConnection.Failure>?
        if let connection = takeReader() {
            read = Result { () throws(SQLiteReadConnection.Failure) in
                try connection.entry(for: key.rawValue, now: nowMilliseconds)
            }
            readers.withLock { $0.idle.append(connection) }
        }
        let found: ResponseCacheEntry?
        if case .success(let entry)? = read {
            found = entry
        } else {
            found = try await readThroughGRDB(key, now: nowMilliseconds)
        }
        guard var entry = found else { return nil }
        let pendingCount = pending.withLock { pending in
            var use = pending.uses[key.rawValue] ?? (0, 0)
            use.recency = nextRecency()
            use.hits += 1
            pending.uses[key.rawValue] = use
            entry.hits += use.hits
            return pending.count
        }
        if pendingCount >= Self.flushThreshold { try await flush() }
        return entry
    }

    /// An idle read connection, or a new one while there are fewer than the limit; `nil` when all are busy.
    private func takeReader() -> SQLiteReadConnection? {
        let (idle, mayOpen) = readers.withLock { readers -> (SQLiteReadConnection?, Bool) in
            if let idle = readers.idle.popLast() { return (idle, false) }
            guard readers.opened < readerLimit else { return (nil, false) }
            readers.opened += 1
            return (nil, true)
        }
        if let idle { return idle }
        guard mayOpen else { return nil }
        guard let opened = SQLiteReadConnection(path: path) else {
            readers.withLock { $0.opened -= 1 }
            return nil
        }
        return opened
    }

    private func readThroughGRDB(_ key: CacheKey, now nowMilliseconds: Int64) async throws -> ResponseCacheEntry? {
        try await database.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT \(SQLiteReadConnection.columns) FROM response_cache
                    WHERE key = ? AND (expires_ms IS NULL OR expires_ms > ?)
                    """,
                arguments: [key.rawValue, nowMilliseconds]
            ).map(Self.entry(from:))
        }
    }

    public func insert(_ entry: ResponseCacheEntry, maxEntries: Int?, now: Date) async throws -> [CacheKey] {
        let toolCalls = try entry.response.toolCalls.isEmpty ? nil : Self.encodeToolCalls(entry.response.toolCalls)
        let usage = entry.response.usage
        let values: [(any DatabaseValueConvertible)?] = [
            entry.key.rawValue, entry.scope.rawValue, entry.response.provider.rawValue, entry.response.model,
            entry.requestedModel, entry.taskType?.rawValue, Self.tagsColumn(entry.tags), entry.response.id,
            entry.response.text, toolCalls, entry.response.finishReason.rawValue, entry.response.providerFinishReason,
            usage != nil, usage?.inputTokens ?? 0, usage?.cacheReadTokens ?? 0, usage?.cacheWriteTokens ?? 0,
            usage?.cacheWriteLongLivedTokens ?? 0, usage?.outputTokens ?? 0, usage?.reasoningTokens ?? 0,
            Self.milliseconds(entry.createdAt), entry.expiresAt.map(Self.milliseconds), entry.sensitive,
            entry.semantic?.partition, entry.semantic?.embeddingModel, entry.semantic.map { Self.blob($0.vector) },
            entry.hits, nextRecency(), entry.cost?.picodollars,
        ]
        let nowMilliseconds = Self.milliseconds(now)
        let uses = takePendingUses()
        let arguments = StatementArguments(values)
        return try await database.write { db in
            try Self.apply(uses, db)
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO response_cache (key, scope, provider, model, requested_model, task_type,
                        tags, response_id, text, tool_calls, finish_reason, provider_finish_reason, has_usage,
                        input_tokens, cache_read_tokens, cache_write_tokens, cache_write_long_lived_tokens,
                        output_tokens, reasoning_tokens, created_ms, expires_ms, sensitive, semantic_partition,
                        embedding_model, embedding, hits, recency, cost_picodollars)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: arguments)
            var removed = try String.fetchAll(
                db, sql: "SELECT key FROM response_cache WHERE expires_ms <= ?", arguments: [nowMilliseconds])
            if !removed.isEmpty {
                try db.execute(sql: "DELETE FROM response_cache WHERE expires_ms <= ?", arguments: [nowMilliseconds])
            }
            if let maxEntries {
                let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM response_cache") ?? 0
                if count > maxEntries {
                    let victims = try String.fetchAll(
                        db, sql: "SELECT key FROM response_cache ORDER BY recency LIMIT ?",
                        arguments: [count - max(maxEntries, 0)])
                    for victim in victims {
                        try db.execute(sql: "DELETE FROM response_cache WHERE key = ?", arguments: [victim])
                    }
                    removed += victims
                }
            }
            return removed.map(CacheKey.init(rawValue:))
        }
    }

    public func remove(_ invalidation: CacheInvalidation) async throws -> [CacheKey] {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let models = invalidation.models {
            let marks = Array(repeating: "?", count: models.count).joined(separator: ", ")
            conditions.append("(model IN (\(marks)) OR requested_model IN (\(marks)))")
            arguments += (models + models).map { $0 as (any DatabaseValueConvertible)? }
        }
        if let provider = invalidation.provider {
            conditions.append("provider = ?")
            arguments.append(provider.rawValue)
        }
        if let tag = invalidation.tag {
            conditions.append("instr(tags, ?) > 0")
            arguments.append("|" + Self.escapeTag(tag) + "|")
        }
        switch invalidation.scopeMatch {
        case .exact(let scope)?:
            conditions.append("scope = ?")
            arguments.append(scope)
        case .containing(let pattern)?:
            conditions.append("instr(scope, ?) > 0")
            arguments.append(pattern)
        case nil: break
        }
        if let expiredAt = invalidation.expiredAt {
            conditions.append("expires_ms <= ?")
            arguments.append(Self.milliseconds(expiredAt))
        }
        if let models = invalidation.embeddingModels {
            conditions.append("(" + models.map { _ in "instr(embedding_model, ?) > 0" }.joined(separator: " OR ") + ")")
            arguments += models.map { CacheInvalidation.embeddingPattern($0) as (any DatabaseValueConvertible)? }
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let uses = takePendingUses()
        let statementArguments = StatementArguments(arguments)
        return try await database.write { db in
            try Self.apply(uses, db)
            let keys = try String.fetchAll(
                db, sql: "SELECT key FROM response_cache" + filter, arguments: statementArguments)
            try db.execute(sql: "DELETE FROM response_cache" + filter, arguments: statementArguments)
            return keys.map(CacheKey.init(rawValue:))
        }
    }

    public func semanticEntries(now: Date) async throws -> [(key: CacheKey, semantic: ResponseCacheEntry.Semantic)] {
        let nowMilliseconds = Self.milliseconds(now)
        return try await database.read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT key, semantic_partition, embedding_model, embedding FROM response_cache
                    WHERE embedding IS NOT NULL AND (expires_ms IS NULL OR expires_ms > ?) ORDER BY recency
                    """, arguments: [nowMilliseconds])
            var result: [(key: CacheKey, semantic: ResponseCacheEntry.Semantic)] = []
            while let row = try rows.next() {
                guard let partition: String = row["semantic_partition"], let model: String = row["embedding_model"],
                    let blob: Data = row["embedding"]
                else { continue }
                result.append(
                    (
                        CacheKey(rawValue: row["key"]),
                        ResponseCacheEntry.Semantic(
                            partition: partition, embeddingModel: model, vector: Self.vector(blob))
                    ))
            }
            return result
        }
    }

    public func statistics(now: Date) async throws -> ResponseCacheStatistics {
        try await flush()
        let nowMilliseconds = Self.milliseconds(now)
        return try await database.read { db in
            var statistics = ResponseCacheStatistics()
            if let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) AS entries, COALESCE(SUM(hits), 0) AS hits,
                        COALESCE(SUM(expires_ms <= ?), 0) AS expired, COALESCE(SUM(embedding IS NOT NULL), 0) AS semantic
                    FROM response_cache
                    """, arguments: [nowMilliseconds])
            {
                statistics.entries = row["entries"]
                statistics.hits = row["hits"]
                statistics.expiredEntries = row["expired"]
                statistics.semanticEntries = row["semantic"]
            }
            statistics.models = ResponseCacheStatistics.sorted(
                try Row.fetchAll(
                    db,
                    sql:
                        "SELECT provider, model, COUNT(*) AS entries, SUM(hits) AS hits FROM response_cache GROUP BY provider, model"
                ).map { row in
                    ResponseCacheStatistics.ModelCount(
                        provider: ProviderID(row["provider"] as String), model: row["model"], entries: row["entries"],
                        hits: row["hits"])
                })
            statistics.embeddings = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM embedding_cache") ?? 0
            return statistics
        }
    }

    public func flush() async throws {
        let uses = takePendingUses()
        guard uses.count > 0 else { return }
        try await database.write { db in try Self.apply(uses, db) }
    }

    private func takePendingUses() -> PendingUse {
        pending.withLock { pending in
            defer { pending = PendingUse() }
            return pending
        }
    }

    private static func apply(_ uses: PendingUse, _ db: Database) throws {
        guard uses.count > 0 else { return }
        let entryStatement = try db.cachedStatement(
            sql: "UPDATE response_cache SET hits = hits + ?, recency = MAX(recency, ?) WHERE key = ?")
        for (key, use) in uses.uses {
            try entryStatement.execute(arguments: [use.hits, use.recency, key])
        }
        let embeddingStatement = try db.cachedStatement(
            sql: """
                UPDATE embedding_cache SET recency = MAX(recency, ?)
                WHERE provider = ? AND model = ? AND dimensions = ? AND input_hash = ?
                """)
        for (use, recency) in uses.embeddingUses {
            try embeddingStatement.execute(arguments: [
                recency, use.model.provider.rawValue, use.model.model, use.model.dimensions, use.inputHash,
            ])
        }
    }

    // MARK: Embeddings

    public func vectors(for inputHashes: [String], model: EmbeddingModelKey) async throws -> [String: [Float]] {
        guard !inputHashes.isEmpty else { return [:] }
        let marks = Array(repeating: "?", count: inputHashes.count).joined(separator: ", ")
        var arguments: [(any DatabaseValueConvertible)?] = [model.provider.rawValue, model.model, model.dimensions]
        arguments += inputHashes.map { $0 as (any DatabaseValueConvertible)? }
        let statementArguments = StatementArguments(arguments)
        let found = try await database.read { db in
            var found: [String: [Float]] = [:]
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT input_hash, vector FROM embedding_cache
                    WHERE provider = ? AND model = ? AND dimensions = ? AND input_hash IN (\(marks))
                    """, arguments: statementArguments)
            while let row = try rows.next() {
                found[row["input_hash"]] = Self.vector(row["vector"])
            }
            return found
        }
        let pendingCount = pending.withLock { pending in
            for hash in found.keys {
                pending.embeddingUses[EmbeddingUse(model: model, inputHash: hash)] = nextRecency()
            }
            return pending.count
        }
        if pendingCount >= Self.flushThreshold { try await flush() }
        return found
    }

    public func insert(_ vectors: [String: [Float]], model: EmbeddingModelKey, maxEntries: Int?) async throws {
        guard !vectors.isEmpty else { return }
        let rows = vectors.map { (hash: $0.key, blob: Self.blob($0.value), recency: nextRecency()) }
        let uses = takePendingUses()
        try await database.write { db in
            try Self.apply(uses, db)
            let statement = try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO embedding_cache (provider, model, dimensions, input_hash, vector, recency)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """)
            for row in rows {
                try statement.execute(arguments: [
                    model.provider.rawValue, model.model, model.dimensions, row.hash, row.blob, row.recency,
                ])
            }
            guard let maxEntries else { return }
            let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM embedding_cache") ?? 0
            guard count > maxEntries else { return }
            try db.execute(
                sql: """
                    DELETE FROM embedding_cache WHERE recency IN
                    (SELECT recency FROM embedding_cache ORDER BY recency LIMIT ?)
                    """, arguments: [count - max(maxEntries, 0)])
        }
    }

    @discardableResult
    public func removeEmbeddings(models: [String]?, provider: ProviderID?) async throws -> Int {
        var conditions: [String] = []
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let models {
            conditions.append("model IN (\(Array(repeating: "?", count: models.count).joined(separator: ", ")))")
            arguments += models.map { $0 as (any DatabaseValueConvertible)? }
        }
        if let provider {
            conditions.append("provider = ?")
            arguments.append(provider.rawValue)
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let statementArguments = StatementArguments(arguments)
        return try await database.write { db in
            try db.execute(sql: "DELETE FROM embedding_cache" + filter, arguments: statementArguments)
            return db.changesCount
        }
    }

    public func embeddingCount() async throws -> Int {
        try await database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM embedding_cache") ?? 0 }
    }

    // MARK: Encoding

    private static func entry(from row: Row) throws -> ResponseCacheEntry {
        let usage: Usage? =
            (row["has_usage"] as Bool)
            ? Usage(
                inputTokens: row["input_tokens"], cacheReadTokens: row["cache_read_tokens"],
                cacheWriteTokens: row["cache_write_tokens"],
                cacheWriteLongLivedTokens: row["cache_write_long_lived_tokens"], outputTokens: row["output_tokens"],
                reasoningTokens: row["reasoning_tokens"]) : nil
        let toolCalls = try (row["tool_calls"] as String?).map(decodeToolCalls) ?? []
        return ResponseCacheEntry(
            key: CacheKey(rawValue: row["key"]), scope: CacheScope(rawValue: row["scope"]),
            response: CachedResponse(
                id: row["response_id"], text: row["text"], toolCalls: toolCalls,
                finishReason: FinishReason(rawValue: row["finish_reason"]),
                providerFinishReason: row["provider_finish_reason"], usage: usage,
                provider: ProviderID(row["provider"] as String), model: row["model"]),
            requestedModel: row["requested_model"],
            taskType: (row["task_type"] as String?).map(TaskType.init(rawValue:)),
            tags: tags(fromColumn: row["tags"]), createdAt: date(row["created_ms"]),
            expiresAt: (row["expires_ms"] as Int64?).map(date), sensitive: row["sensitive"], hits: row["hits"],
            cost: (row["cost_picodollars"] as Int64?).map(Money.init(picodollars:)))
    }

    private static func encodeToolCalls(_ calls: [ToolCall]) throws -> String {
        JSONValue.array(
            calls.map { call in
                var object: [String: JSONValue] = [
                    "id": .string(call.id), "name": .string(call.name), "arguments": .string(call.arguments),
                ]
                object["signature"] = call.signature.map(JSONValue.string)
                return .object(object)
            }
        ).jsonString()
    }

    static func decodeToolCalls(_ text: String) throws -> [ToolCall] {
        guard case .array(let items) = try JSONValue.parse(text) else { return [] }
        return items.map { item in
            ToolCall(
                id: item["id"]?.stringValue ?? "", name: item["name"]?.stringValue ?? "",
                arguments: item["arguments"]?.stringValue ?? "", signature: item["signature"]?.stringValue)
        }
    }

    /// `|tag|tag|`, so one tag is found with `instr(tags, '|tag|')`.
    static func tagsColumn(_ tags: [String]) -> String {
        "|" + tags.map { escapeTag($0) + "|" }.joined()
    }

    static func tags(fromColumn text: String) -> [String] {
        text.split(separator: "|").map { String($0).replacing("%7C", with: "|").replacing("%25", with: "%") }
    }

    private static func escapeTag(_ tag: String) -> String {
        tag.replacing("%", with: "%25").replacing("|", with: "%7C")
    }

    static func blob(_ vector: [Float]) -> Data {
        var data = Data(capacity: vector.count * 4)
        for value in vector {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) }
        }
        return data
    }

    static func vector(_ blob: Data) -> [Float] {
        let count = blob.count / 4
        return blob.withUnsafeBytes { raw in
            (0..<count).map { index in
                Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)))
            }
        }
    }

    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    private static func date(_ milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }
}
