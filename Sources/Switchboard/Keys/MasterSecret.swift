import Foundation

/// The secret the key store's data key is derived from. Never printed.
///
/// Given by `SWITCHBOARD_MASTER_KEY` (the secret itself) or `SWITCHBOARD_MASTER_KEY_FILE` (a file
/// holding it, trailing newline ignored; for Docker or Kubernetes secrets). It must be a random
/// secret of at least ``minimumLength`` bytes — `openssl rand -base64 32` makes one — because the
/// data key is derived with HKDF, which does not slow down guessing a weak passphrase.
public struct MasterSecret: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The shortest master secret accepted, in bytes.
    public static let minimumLength = 32

    let bytes: [UInt8]

    /// Checks the length of `text`.
    public init(_ text: String, source: String = "master secret") throws {
        let bytes = Array(text.utf8)
        guard bytes.count >= Self.minimumLength else {
            throw KeyStoreError(
                kind: .weakMasterSecret, path: source,
                message:
                    "the master secret has \(bytes.count) bytes; use at least \(Self.minimumLength) random bytes "
                    + "(for example the output of `openssl rand -base64 32`)")
        }
        self.bytes = bytes
    }

    /// The master secret from `SWITCHBOARD_MASTER_KEY` or `SWITCHBOARD_MASTER_KEY_FILE`; `nil` when neither is set.
    public static func fromEnvironment(_ environment: [String: String]) throws -> MasterSecret? {
        if let value = environment["SWITCHBOARD_MASTER_KEY"], !value.isEmpty {
            return try MasterSecret(value, source: "SWITCHBOARD_MASTER_KEY")
        }
        if let path = environment["SWITCHBOARD_MASTER_KEY_FILE"], !path.isEmpty {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw KeyStoreError(
                    kind: .unreadable, path: path,
                    message: "SWITCHBOARD_MASTER_KEY_FILE names a file that cannot be read")
            }
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
            return try MasterSecret(text, source: path)
        }
        return nil
    }

    public var description: String { "MasterSecret([REDACTED])" }
    public var debugDescription: String { description }
}

extension MasterSecret: CustomReflectable {
    public var customMirror: Mirror { Mirror(self, children: []) }
}
