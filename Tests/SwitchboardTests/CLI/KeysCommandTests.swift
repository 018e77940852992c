import Foundation
import GRDB
import Switchboard
import Testing

/// `switchboard keys` and `switchboard audit` end to end, with the real executable.
@Suite(.serialized, .timeLimit(.minutes(2))) struct KeysCommandTests {
    static let master = "cli master secret: at least thirty-two bytes long"
    static let firstKey = "sk-cli-first-0123456789abcdef"
    static let secondKey = "sk-cli-second-0123456789abcdef"

    func environment(_ home: TemporaryDirectory) -> [String: String] {
        ["SWITCHBOARD_HOME": home.path, "SWITCHBOARD_MASTER_KEY": Self.master]
    }

    @Test func addListRotateRemoveAndAudit() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let env = environment(home)
        let add = try await CLIProcess.run(
            ["keys", "add", "openai", "--name", "prod", "--component", "billing", "--model", "gpt-4o*"],
            environment: env, stdin: Self.firstKey + "\n")
        #expect(add.status == 0, "stderr: \(add.stderr)")
        #expect(add.stdout.contains("added openai/prod (\(Fingerprint.of(Self.firstKey)))"))
        let mode = try FileManager.default.attributesOfItem(atPath: home.path + "/keys.store")[.posixPermissions]
        #expect((mode as? NSNumber)?.intValue == 0o600)

        let list = try await CLIProcess.run(["keys", "list"], environment: env)
        #expect(list.status == 0, "stderr: \(list.stderr)")
        #expect(list.stdout.contains("PROVIDER") && list.stdout.contains("LAST USED"))
        #expect(list.stdout.contains("openai") && list.stdout.contains("prod"))
        #expect(list.stdout.contains(Fingerprint.of(Self.firstKey)))
        #expect(list.stdout.contains("components=billing models=gpt-4o*"))
        #expect(!list.stdout.contains(Self.firstKey))

        let rotate = try await CLIProcess.run(
            ["keys", "rotate", "openai", "prod", "--at", "2030-01-01T00:00:00Z", "--overlap", "2h"], environment: env,
            stdin: Self.secondKey)
        #expect(rotate.status == 0, "stderr: \(rotate.stderr)")
        let json = try await CLIProcess.run(["keys", "list", "--format", "json"], environment: env)
        let rows = try JSONDecoder().decode([[String: JSONValue]].self, from: Data(json.stdout.utf8))
        #expect(rows.map { $0["name"] } == [.string("prod.previous"), .string("prod")])
        #expect(rows.last?["status"] == .string("scheduled"))
        #expect(rows.first?["expires_at"] == .string("2030-01-01T02:00:00Z"))
        #expect(!json.stdout.contains(Self.secondKey))

        let remove = try await CLIProcess.run(["keys", "rm", "openai", "prod.previous"], environment: env)
        #expect(remove.status == 0, "stderr: \(remove.stderr)")

        let audit = try await CLIProcess.run(["audit", "--format", "json"], environment: env)
        #expect(audit.status == 0, "stderr: \(audit.stderr)")
        let entries = try JSONDecoder().decode([[String: JSONValue]].self, from: Data(audit.stdout.utf8))
        #expect(entries.map { $0["action"] } == [.string("key_added"), .string("key_rotated"), .string("key_removed")])
        #expect(entries.allSatisfy { $0["component"] == .string("cli") })
        #expect(!audit.stdout.contains(Self.firstKey) && !audit.stdout.contains(Self.secondKey))

        let since = try await CLIProcess.run(["audit", "--since", "2999-01-01"], environment: env)
        #expect(since.status == 0 && since.stdout.isEmpty)

        let verify = try await CLIProcess.run(["audit", "verify"], environment: env)
        #expect(verify.status == 0, "stderr: \(verify.stderr)")
        #expect(verify.stdout.contains("intact: 3 entries"))
    }

    @Test func verifyFailsOnATamperedTrail() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let store = try SQLiteAuditStore(path: SQLiteAuditStore.path(dataDirectory: home.path))
        try await store.append(AuditTrailTests.events(4))
        let attacker = try DatabaseQueue(path: SQLiteAuditStore.path(dataDirectory: home.path))
        try await attacker.write { db in
            try db.execute(sql: "DROP TRIGGER audit_log_no_update")
            try db.execute(sql: "UPDATE audit_log SET component = 'nobody' WHERE sequence = 2")
        }
        let verify = try await CLIProcess.run(["audit", "verify"], environment: environment(home))
        #expect(verify.status == 1)
        #expect(verify.stderr.contains("TAMPERED") && verify.stderr.contains("entry 2"))
    }

    @Test func wrongMasterSecretAndOpenPermissionsAreClearErrors() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let add = try await CLIProcess.run(
            ["keys", "add", "anthropic", "--name", "main"], environment: environment(home), stdin: Self.firstKey)
        #expect(add.status == 0, "stderr: \(add.stderr)")
        var wrong = environment(home)
        wrong["SWITCHBOARD_MASTER_KEY"] = Self.master + "?"
        let list = try await CLIProcess.run(["keys", "list"], environment: wrong)
        #expect(list.status == 3)
        #expect(list.stderr.contains("did not decrypt"))
        chmod(home.path + "/keys.store", 0o644)
        let open = try await CLIProcess.run(["keys", "list"], environment: environment(home))
        #expect(open.status == 3)
        #expect(open.stderr.contains("chmod 600"))
        let missing = try await CLIProcess.run(["keys", "list"], environment: ["SWITCHBOARD_HOME": home.path])
        #expect(missing.status == 3)
        #expect(missing.stderr.contains("SWITCHBOARD_MASTER_KEY"))
    }
}
