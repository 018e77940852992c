import Foundation
import Switchboard
import Testing

/// The encrypted key store: round trip, wrong master secret, permissions, tampering.
@Suite struct EncryptedKeyStoreTests {
    static let secret = "correct horse battery staple 0123456789 abcdef"
    static let openAIKey = "sk-store-test-0123456789abcdefghij"

    func sampleKeys() -> [ManagedKey] {
        [
            ManagedKey(
                name: "prod", provider: .openAI, secret: APIKey(Self.openAIKey), weight: 3,
                scope: KeyScope(components: ["billing"], models: ["gpt-4o*"]),
                createdAt: Date(timeIntervalSince1970: 1_800_000_000),
                activatesAt: Date(timeIntervalSince1970: 1_800_000_100),
                expiresAt: Date(timeIntervalSince1970: 1_900_000_000)),
            ManagedKey(
                name: "backup", provider: .anthropic, secret: APIKey("sk-ant-store-test-abcdefghijklmnop"),
                createdAt: Date(timeIntervalSince1970: 1_800_000_000)),
        ]
    }

    @Test func roundTripsEveryField() throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let store = EncryptedKeyStore(path: home.path + "/keys.store", masterSecret: try MasterSecret(Self.secret))
        try store.save(sampleKeys())
        let loaded = try store.load()
        #expect(loaded == sampleKeys())
        let bytes = try Data(contentsOf: URL(fileURLWithPath: store.path))
        #expect(
            !String(decoding: bytes, as: UTF8.self).contains("sk-store-test"), "the file must not hold a key in clear")
        #expect(!String(decoding: bytes, as: UTF8.self).contains("billing"), "the whole file is encrypted")
    }

    @Test func createsTheFileOwnerOnly() throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let store = EncryptedKeyStore(
            path: home.path + "/nested/keys.store", masterSecret: try MasterSecret(Self.secret))
        try store.add(sampleKeys()[0])
        let mode = try FileManager.default.attributesOfItem(atPath: store.path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
    }

    @Test func wrongMasterSecretFailsWithoutDecryptingAnything() throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let path = home.path + "/keys.store"
        try EncryptedKeyStore(path: path, masterSecret: try MasterSecret(Self.secret)).save(sampleKeys())
        let wrong = EncryptedKeyStore(path: path, masterSecret: try MasterSecret(Self.secret + "!"))
        #expect {
            try wrong.load()
        } throws: { error in
            guard let error = error as? KeyStoreError, error.kind == .wrongMasterSecret else { return false }
            return error.description.contains("master secret") && !error.description.contains("sk-")
        }
    }

    @Test func alteredFileIsRejectedWhole() throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let store = EncryptedKeyStore(path: home.path + "/keys.store", masterSecret: try MasterSecret(Self.secret))
        try store.save(sampleKeys())
        var bytes = try Data(contentsOf: URL(fileURLWithPath: store.path))
        bytes[bytes.count - 20] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: store.path))
        chmod(store.path, 0o600)
        #expect(throws: KeyStoreError.self) { try store.load() }
        #expect((try? store.load()) == nil)
    }

    @Test(arguments: [0o644, 0o640, 0o604, 0o660])
    func refusesAFileOthersMayRead(mode: Int) throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let store = EncryptedKeyStore(path: home.path + "/keys.store", masterSecret: try MasterSecret(Self.secret))
        try store.save(sampleKeys())
        chmod(store.path, mode_t(mode))
        #expect {
            try store.load()
        } throws: { error in
            (error as? KeyStoreError)?.kind == .insecurePermissions && "\(error)".contains("chmod 600")
        }
    }

    @Test func refusesAShortMasterSecret() {
        #expect {
            try MasterSecret("short")
        } throws: { error in
            (error as? KeyStoreError)?.kind == .weakMasterSecret && !"\(error)".contains("short")
        }
    }

    @Test func masterSecretFromEnvironmentOrFile() throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let file = try home.write("master", Self.secret + "\n")
        let fromFile = try MasterSecret.fromEnvironment(["SWITCHBOARD_MASTER_KEY_FILE": file])
        let fromValue = try MasterSecret.fromEnvironment(["SWITCHBOARD_MASTER_KEY": Self.secret])
        #expect(try MasterSecret.fromEnvironment([:]) == nil)
        let path = home.path + "/keys.store"
        try EncryptedKeyStore(path: path, masterSecret: try #require(fromValue)).save(sampleKeys())
        #expect(try EncryptedKeyStore(path: path, masterSecret: try #require(fromFile)).load() == sampleKeys())
        #expect(!"\(try #require(fromValue))".contains("horse"))
        var dumped = ""
        dump(try #require(fromValue), to: &dumped)
        #expect(!dumped.contains("horse"))
    }

    @Test func addRemoveAndRotate() throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let store = EncryptedKeyStore(path: home.path + "/keys.store", masterSecret: try MasterSecret(Self.secret))
        let key = sampleKeys()[1]
        try store.add(key)
        #expect(throws: KeyStoreError.self) { try store.add(key) }
        let at = Date(timeIntervalSince1970: 1_850_000_000)
        let (old, new) = try store.rotate(
            name: "backup", provider: .anthropic, newSecret: APIKey("sk-ant-rotated-abcdefghijklmnopq"), at: at,
            overlap: .seconds(3600), now: at)
        #expect(old.name == "backup.previous" && old.expiresAt == at.addingTimeInterval(3600))
        #expect(new.name == "backup" && new.activatesAt == at)
        #expect(try store.load().map(\.name) == ["backup.previous", "backup"])
        try store.remove(name: "backup.previous", provider: .anthropic)
        #expect(try store.load().map(\.secret.value) == ["sk-ant-rotated-abcdefghijklmnopq"])
        #expect(throws: KeyStoreError.self) { try store.remove(name: "nope", provider: .anthropic) }
    }

    @Test func managedKeyNeverPrintsItsSecret() {
        let key = sampleKeys()[0]
        var dumped = ""
        dump(key, to: &dumped)
        for text in ["\(key)", String(reflecting: key), dumped, "\(key.secret)", String(reflecting: key.secret)] {
            #expect(!text.contains(Self.openAIKey), "\(text)")
        }
        var dumpedKey = ""
        dump(key.secret, to: &dumpedKey)
        #expect(!dumpedKey.contains(Self.openAIKey))
    }
}
