import Foundation
import Switchboard
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The gateway's virtual keys, kept in one JSON file (mode 0600) that holds only their hashes.
///
/// `switchboard gateway keys create|list|revoke` edit the file; a running gateway notices the change
/// on its next request, so a revoked key stops working at once.
public final class GatewayKeyStore: Sendable {
    /// The file: `<data directory>/gateway/keys.json` by default.
    public let path: String
    private struct Loaded {
        var keys: [VirtualKey] = []
        var hashes: [[UInt8]] = []
        var version: FileVersion?
    }
    private let loaded = Mutex(Loaded())

    public init(path: String) {
        self.path = path
    }

    /// The store in Switchboard's data directory.
    public convenience init(dataDirectory: String) {
        self.init(path: dataDirectory + "/gateway/keys.json")
    }

    /// The lowercase hex SHA-256 of `secret`, as ``VirtualKey/secretHash`` stores it.
    public static func hash(_ secret: String) -> String {
        KeyHashing.hex(KeyHashing.sha256(secret))
    }

    /// Every key, revoked ones included.
    public func list() throws -> [VirtualKey] {
        try reloadIfChanged()
        return loaded.withLock { $0.keys }
    }

    /// Whether any key is active.
    public func hasActiveKeys() throws -> Bool {
        try reloadIfChanged()
        return loaded.withLock { $0.keys.contains(where: \.isActive) }
    }

    /// Makes a key and saves its hash; the returned secret is not stored anywhere and is shown once.
    public func create(
        name: String, allowedModels: [String] = [], feature: String? = nil, user: String? = nil,
        component: String? = nil, requestsPerMinute: Int? = nil, tokensPerMinute: Int? = nil,
        budgetMicrodollars: Int64? = nil, budgetPeriod: UsagePeriod? = nil, now: Date,
        using generator: inout some RandomNumberGenerator
    ) throws -> (key: VirtualKey, secret: String) {
        var keys = try list()
        guard !keys.contains(where: { $0.name == name && $0.isActive }) else {
            throw GatewayKeyStoreError(message: "an active key named '\(name)' already exists")
        }
        let secret = "sbk-" + KeyHashing.hex((0..<24).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        let id = "vk_" + KeyHashing.hex((0..<6).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        let key = VirtualKey(
            id: id, name: name, secretHash: KeyHashing.hex(KeyHashing.sha256(secret)),
            displayPrefix: String(secret.prefix(10)), allowedModels: allowedModels, feature: feature, user: user,
            component: component, requestsPerMinute: requestsPerMinute, tokensPerMinute: tokensPerMinute,
            budgetMicrodollars: budgetMicrodollars, budgetPeriod: budgetPeriod, createdAt: now)
        keys.append(key)
        try save(keys)
        return (key, secret)
    }

    /// Revokes the active key with this id or name.
    @discardableResult
    public func revoke(_ idOrName: String, now: Date) throws -> VirtualKey {
        var keys = try list()
        guard let index = keys.firstIndex(where: { ($0.id == idOrName || $0.name == idOrName) && $0.isActive }) else {
            throw GatewayKeyStoreError(message: "no active key has the id or name '\(idOrName)'")
        }
        keys[index].revokedAt = now
        try save(keys)
        return keys[index]
    }

    /// The active key whose secret is `secret`. Every stored hash is compared in full, so the time taken
    /// says nothing about which key or how many bytes matched.
    public func authenticate(_ secret: String) throws -> VirtualKey? {
        try reloadIfChanged()
        let presented = KeyHashing.sha256(secret)
        return loaded.withLock { state in
            var match: VirtualKey?
            for (key, hash) in zip(state.keys, state.hashes) {
                if KeyHashing.constantTimeEquals(presented, hash), key.isActive { match = key }
            }
            return match
        }
    }

    /// What tells one state of the file from another; `nil` when there is no file.
    private struct FileVersion: Equatable {
        var seconds: Int
        var nanoseconds: Int
        var size: Int
        var inode: UInt64

        /// One `stat` call: this runs on every request, where Foundation's attribute dictionary cost
        /// more than the rest of authentication.
        init?(path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            #if canImport(Darwin)
            seconds = Int(info.st_mtimespec.tv_sec)
            nanoseconds = Int(info.st_mtimespec.tv_nsec)
            #else
            seconds = Int(info.st_mtim.tv_sec)
            nanoseconds = Int(info.st_mtim.tv_nsec)
            #endif
            size = Int(info.st_size)
            inode = UInt64(info.st_ino)
        }
    }

    private func reloadIfChanged() throws {
        let version = FileVersion(path: path)
        let isCurrent = loaded.withLock { $0.version == version }
        if isCurrent { return }
        var keys: [VirtualKey] = []
        if version != nil {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            do {
                keys = try decoder.decode([VirtualKey].self, from: data)
            } catch {
                throw GatewayKeyStoreError(message: "\(path) is not a valid key file: \(error)")
            }
        }
        let hashes = keys.map { KeyHashing.bytes(hex: $0.secretHash) ?? [] }
        loaded.withLock { $0 = Loaded(keys: keys, hashes: hashes, version: version) }
    }

    private func save(_ keys: [VirtualKey]) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(keys)
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let temporary = path + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600])
        else { throw GatewayKeyStoreError(message: "could not write \(temporary)") }
        guard rename(temporary, path) == 0 else { throw GatewayKeyStoreError(message: "could not replace \(path)") }
        try reloadIfChanged()
    }
}

/// A key file that cannot be read or written, or a key that does not exist.
public struct GatewayKeyStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
