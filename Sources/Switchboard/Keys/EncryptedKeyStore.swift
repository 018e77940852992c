import Crypto
import Foundation

/// The encrypted key store: one file holding every managed key, sealed as a whole with AES-256-GCM.
///
/// Managed by `switchboard keys add | list | rm | rotate`; read by ``SwitchboardConfiguration/load(environment:currentDirectory:)``
/// and by each ``KeyPool`` it feeds when the file changes.
///
/// File layout (version 1):
///
/// | bytes | content |
/// | --- | --- |
/// | 8 | magic `SWBKEYS1` |
/// | 32 | salt, random per write |
/// | 12 | AES-GCM nonce, random per write |
/// | n | ciphertext of the JSON list of keys |
/// | 16 | AES-GCM tag |
///
/// Key derivation: data key = HKDF-SHA256(input key material: the ``MasterSecret``'s bytes, salt: the
/// file's salt, info: `switchboard key store v1 aes-256-gcm`, 32 bytes). The magic and salt are the
/// additional authenticated data, so any change to the header or body — or a wrong master secret —
/// fails authentication as a whole (``KeyStoreError/Kind/wrongMasterSecret``) and nothing is decrypted.
///
/// The file is created with mode 0600 and a file the group or others may open is refused
/// (``KeyStoreError/Kind/insecurePermissions``).
public struct EncryptedKeyStore: Sendable {
    public let path: String
    private let masterSecret: MasterSecret

    static let magic = Array("SWBKEYS1".utf8)
    static let info = Array("switchboard key store v1 aes-256-gcm".utf8)
    static let saltLength = 32

    public init(path: String, masterSecret: MasterSecret) {
        self.path = path
        self.masterSecret = masterSecret
    }

    /// `<dataDirectory>/keys.store`.
    public static func defaultPath(dataDirectory: String) -> String { dataDirectory + "/keys.store" }

    /// Whether the file exists.
    public var exists: Bool { SecureFile.permissions(of: path) != nil }

    /// Every key in the file; empty when there is no file.
    public func load() throws -> [ManagedKey] {
        guard let mode = SecureFile.permissions(of: path) else { return [] }
        guard !SecureFile.isOpenToOthers(mode) else {
            throw KeyStoreError(
                kind: .insecurePermissions, path: path,
                message: "the key store may be opened by its group or others (mode \(String(mode, radix: 8))); "
                    + "run chmod 600 \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KeyStoreError(kind: .unreadable, path: path, message: "the key store could not be read")
        }
        return try decode(Array(data))
    }

    /// Replaces the file's keys with `keys`.
    public func save(_ keys: [ManagedKey]) throws {
        try SecureFile.writeOwnerOnly(try encode(keys), to: path)
    }

    /// Adds `key`; ``KeyStoreError/Kind/duplicateKey`` when its provider already has a key of that name.
    public func add(_ key: ManagedKey) throws {
        var keys = try load()
        guard !keys.contains(where: { $0.provider == key.provider && $0.name == key.name }) else {
            throw KeyStoreError(
                kind: .duplicateKey, path: path, message: "\(key.provider) already has a key named '\(key.name)'")
        }
        keys.append(key)
        try save(keys)
    }

    /// Removes the key `name` of `provider` and returns it.
    @discardableResult
    public func remove(name: String, provider: ProviderID) throws -> ManagedKey {
        var keys = try load()
        guard let index = keys.firstIndex(where: { $0.provider == provider && $0.name == name }) else {
            throw KeyStoreError(kind: .keyNotFound, path: path, message: "\(provider) has no key named '\(name)'")
        }
        let removed = keys.remove(at: index)
        try save(keys)
        return removed
    }

    /// Schedules a rotation: `newSecret` takes over the name `name` and becomes primary at `date`;
    /// the old key, renamed `<name>.previous`, stays usable until `date + overlap`.
    ///
    /// - Returns: the old key (renamed, with its expiry) and the new one.
    @discardableResult
    public func rotate(
        name: String, provider: ProviderID, newSecret: APIKey, at date: Date, overlap: Duration, now: Date
    ) throws -> (old: ManagedKey, new: ManagedKey) {
        var keys = try load()
        guard let index = keys.firstIndex(where: { $0.provider == provider && $0.name == name }) else {
            throw KeyStoreError(kind: .keyNotFound, path: path, message: "\(provider) has no key named '\(name)'")
        }
        var old = keys[index]
        let new = ManagedKey(
            name: name, provider: provider, secret: newSecret, weight: old.weight, scope: old.scope, createdAt: now,
            activatesAt: date)
        old.name = name + ".previous"
        old.expiresAt = date.addingTimeInterval(overlap.seconds)
        keys.removeAll { $0.provider == provider && $0.name == old.name }
        if let at = keys.firstIndex(where: { $0.provider == provider && $0.name == name }) { keys[at] = old }
        keys.append(new)
        try save(keys)
        return (old, new)
    }

    // MARK: Encoding

    private func dataKey(salt: [UInt8]) -> SymmetricKey {
        HKDF<Crypto.SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: masterSecret.bytes), salt: salt, info: Self.info, outputByteCount: 32)
    }

    func encode(_ keys: [ManagedKey]) throws -> [UInt8] {
        var salt = [UInt8](repeating: 0, count: Self.saltLength)
        var generator = SystemRandomNumberGenerator()
        for index in salt.indices { salt[index] = generator.next() }
        let header = Self.magic + salt
        let plaintext = try JSONEncoder().encode(StoredKeys(keys: keys.map(StoredKey.init)))
        let sealed = try AES.GCM.seal(plaintext, using: dataKey(salt: salt), authenticating: header)
        guard let combined = sealed.combined else {
            throw KeyStoreError(kind: .unwritable, path: path, message: "could not seal the key store")
        }
        return header + Array(combined)
    }

    func decode(_ bytes: [UInt8]) throws -> [ManagedKey] {
        let headerLength = Self.magic.count + Self.saltLength
        guard bytes.count >= headerLength + 12 + 16, Array(bytes.prefix(Self.magic.count)) == Self.magic else {
            throw KeyStoreError(kind: .corrupt, path: path, message: "not a Switchboard key store (version 1)")
        }
        let salt = Array(bytes[Self.magic.count..<headerLength])
        let plaintext: Data
        do {
            let box = try AES.GCM.SealedBox(combined: bytes[headerLength...])
            plaintext = try AES.GCM.open(box, using: dataKey(salt: salt), authenticating: bytes[..<headerLength])
        } catch {
            throw KeyStoreError(
                kind: .wrongMasterSecret, path: path,
                message: "the key store did not decrypt: the master secret is not the one it was written with, "
                    + "or the file was altered")
        }
        do {
            return try JSONDecoder().decode(StoredKeys.self, from: plaintext).keys.map(\.managedKey)
        } catch {
            throw KeyStoreError(kind: .corrupt, path: path, message: "the decrypted key store is not valid")
        }
    }
}

/// The JSON inside the sealed box.
private struct StoredKeys: Codable {
    var version = 1
    var keys: [StoredKey]
}

private struct StoredKey: Codable {
    var name: String
    var provider: String
    var secret: String
    var weight: Int
    var scope: KeyScope
    var createdAt: Date
    var activatesAt: Date?
    var expiresAt: Date?

    init(_ key: ManagedKey) {
        name = key.name
        provider = key.provider.rawValue
        secret = key.secret.value
        weight = key.weight
        scope = key.scope
        createdAt = key.createdAt
        activatesAt = key.activatesAt
        expiresAt = key.expiresAt
    }

    var managedKey: ManagedKey {
        ManagedKey(
            name: name, provider: ProviderID(provider), secret: APIKey(secret), weight: weight, scope: scope,
            createdAt: createdAt, activatesAt: activatesAt, expiresAt: expiresAt)
    }
}
