import Foundation
import GRDB
import Switchboard
import Testing

/// The hash-chained audit trail: intact chains verify; an edited, inserted or deleted entry does not.
@Suite struct AuditTrailTests {
    static func events(_ count: Int) -> [AuditEvent] {
        (0..<count).map { index in
            AuditEvent(
                date: Date(timeIntervalSince1970: 1_800_000_000 + Double(index)), action: .keyUsed, provider: .openAI,
                model: "gpt-4o-mini", keyName: "prod", keyFingerprint: "0123456789ab", component: "billing",
                outcome: index % 2 == 0 ? "success" : "rateLimited")
        }
    }

    /// A SQLite trail of five entries, and a handle to tamper with the file directly.
    func seeded() async throws -> (TemporaryDirectory, SQLiteAuditStore, DatabaseQueue) {
        let home = try TemporaryDirectory()
        let path = SQLiteAuditStore.path(dataDirectory: home.path)
        let store = try SQLiteAuditStore(path: path)
        try await store.append(Array(Self.events(5).prefix(2)))
        try await store.append(Array(Self.events(5).suffix(3)))
        let attacker = try DatabaseQueue(path: path)
        try await attacker.write { db in
            try db.execute(sql: "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete")
        }
        return (home, store, attacker)
    }

    @Test func intactTrailVerifies() async throws {
        let (home, store, _) = try await seeded()
        defer { home.remove() }
        let verification = try await store.verify()
        #expect(verification.isIntact, "\(verification)")
        #expect(verification.entryCount == 5)
        let entries = try await store.entries(since: nil, until: nil)
        #expect(entries.map(\.sequence) == [1, 2, 3, 4, 5])
        #expect(entries[0].previousHash == AuditChain.genesis)
        #expect(entries[1].previousHash == entries[0].hash)
    }

    @Test func sqliteRefusesUpdatesAndDeletes() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let path = SQLiteAuditStore.path(dataDirectory: home.path)
        try await SQLiteAuditStore(path: path).append(Self.events(2))
        let queue = try DatabaseQueue(path: path)
        await #expect(throws: DatabaseError.self) {
            try await queue.write { db in try db.execute(sql: "UPDATE audit_log SET outcome = 'success'") }
        }
        await #expect(throws: DatabaseError.self) {
            try await queue.write { db in try db.execute(sql: "DELETE FROM audit_log") }
        }
    }

    @Test func detectsAnEditedEntry() async throws {
        let (home, store, attacker) = try await seeded()
        defer { home.remove() }
        try await attacker.write { db in
            try db.execute(sql: "UPDATE audit_log SET outcome = 'success' WHERE sequence = 2")
        }
        let verification = try await store.verify()
        #expect(!verification.isIntact)
        #expect(verification.problems.map(\.sequence) == [2])
        #expect(verification.problems.first?.description.contains("edited") == true)
    }

    @Test func detectsAnInsertedEntry() async throws {
        let (home, store, attacker) = try await seeded()
        defer { home.remove() }
        // A forged entry 3 chained correctly to entry 2, the later entries renumbered.
        let entries = try await store.entries(since: nil, until: nil)
        let forged = AuditEvent(
            date: Date(timeIntervalSince1970: 1_800_000_001), action: .keyUsed, provider: .openAI, outcome: "success")
        let hash = AuditChain.hash(previousHash: entries[1].hash, sequence: 3, event: forged)
        try await attacker.write { db in
            for sequence in [5, 4, 3] {
                try db.execute(
                    sql: "UPDATE audit_log SET sequence = sequence + 1 WHERE sequence = ?", arguments: [sequence])
            }
            try db.execute(
                sql: """
                    INSERT INTO audit_log (sequence, time_ms, action, provider, outcome, previous_hash, hash)
                    VALUES (3, 1800000001000, 'key_used', 'openai', 'success', ?, ?)
                    """, arguments: [entries[1].hash, hash])
        }
        let verification = try await store.verify()
        #expect(!verification.isIntact)
        #expect(verification.problems.contains { $0.sequence == 4 && $0.description.contains("does not chain") })
    }

    @Test func detectsADeletedEntry() async throws {
        let (home, store, attacker) = try await seeded()
        defer { home.remove() }
        try await attacker.write { db in try db.execute(sql: "DELETE FROM audit_log WHERE sequence = 3") }
        let verification = try await store.verify()
        #expect(!verification.isIntact)
        #expect(verification.problems.contains { $0.sequence == 4 && $0.description.contains("missing") })
    }

    @Test func detectsEntriesDeletedAtTheEnd() async throws {
        let (home, store, attacker) = try await seeded()
        defer { home.remove() }
        try await attacker.write { db in try db.execute(sql: "DELETE FROM audit_log WHERE sequence >= 4") }
        let verification = try await store.verify()
        #expect(!verification.isIntact)
        #expect(verification.problems.contains { $0.description.contains("head record") })
    }

    @Test func inMemoryStoreChainsAndDetectsTampering() async throws {
        let store = InMemoryAuditStore()
        try await store.append(Self.events(4))
        #expect(try await store.verify().isIntact)
        var entries = try await store.entries(since: nil, until: nil)
        entries[1].event.component = "someone-else"
        store.overwriteEntries(entries)
        #expect(try await store.verify().problems.map(\.sequence) == [2])
    }

    @Test func bufferedLogKeepsTheOrderOfRecording() async throws {
        let store = InMemoryAuditStore()
        let log = AuditLog(store: store, logger: .init(label: "test"))
        for (index, event) in Self.events(200).enumerated() {
            var event = event
            event.model = "m\(index)"
            log.record(event)
        }
        await log.flush()
        let entries = try await store.entries(since: nil, until: nil)
        #expect(entries.map(\.event.model) == (0..<200).map { "m\($0)" })
        #expect(try await store.verify().isIntact)
        await log.shutdown()
    }

    @Test func exportsJSONAndFiltersByTime() async throws {
        let store = InMemoryAuditStore()
        try await store.append(Self.events(4))
        let since = Date(timeIntervalSince1970: 1_800_000_002)
        let entries = try await store.entries(since: since, until: nil)
        #expect(entries.map(\.sequence) == [3, 4])
        let json = try JSONDecoder().decode([[String: JSONValue]].self, from: Data(AuditExport.json(entries).utf8))
        #expect(json.count == 2)
        #expect(json[0]["key_fingerprint"] == .string("0123456789ab"))
        #expect(json[0]["hash"] == .string(entries[0].hash))
        #expect(AuditExport.text(entries).split(separator: "\n").count == 2)
    }
}
