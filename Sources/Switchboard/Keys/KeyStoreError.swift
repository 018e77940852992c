/// A problem with the encrypted key store. Never holds a key or the master secret.
public struct KeyStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Code: String, Hashable, Sendable {
            case missingMasterSecret, weakMasterSecret, wrongMasterSecret, insecurePermissions, corrupt
            case duplicateKey, keyNotFound, unreadable, unwritable
        }

        private let code: Code
        private init(_ code: Code) { self.code = code }
        public var description: String { code.rawValue }

        /// Neither `SWITCHBOARD_MASTER_KEY` nor `SWITCHBOARD_MASTER_KEY_FILE` is set.
        public static let missingMasterSecret = Kind(.missingMasterSecret)
        /// The master secret is shorter than ``MasterSecret/minimumLength`` bytes.
        public static let weakMasterSecret = Kind(.weakMasterSecret)
        /// The file did not decrypt: the master secret is not the one it was written with (or the
        /// file was altered). Nothing of it was decrypted.
        public static let wrongMasterSecret = Kind(.wrongMasterSecret)
        /// The file may be read or written by its group or by others; `chmod 600` it.
        public static let insecurePermissions = Kind(.insecurePermissions)
        /// The file is not a Switchboard key store (wrong header or too short).
        public static let corrupt = Kind(.corrupt)
        /// A key of that name already exists for the provider.
        public static let duplicateKey = Kind(.duplicateKey)
        /// No key of that name exists for the provider.
        public static let keyNotFound = Kind(.keyNotFound)
        /// The file or the master secret file could not be read.
        public static let unreadable = Kind(.unreadable)
        /// The file could not be written.
        public static let unwritable = Kind(.unwritable)
    }

    public var kind: Kind
    /// The store file (or master secret file) concerned.
    public var path: String
    public var message: String

    public init(kind: Kind, path: String, message: String) {
        self.kind = kind
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
