/// A configuration problem, naming the setting to fix. Never holds a secret's value.
public struct ConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Code: String, Hashable, Sendable {
            case unknownKey, wrongType, invalidValue, missingEnvironmentVariable, plainSecret, fileNotFound
            case unreadableFile, invalidSyntax
        }

        private let code: Code
        private init(_ code: Code) { self.code = code }
        public var description: String { code.rawValue }

        /// A key the configuration format does not have (often a typo).
        public static let unknownKey = Kind(.unknownKey)
        /// A value of the wrong type (a list where a mapping belongs, text where a number belongs).
        public static let wrongType = Kind(.wrongType)
        /// A value of the right type that is not allowed (a negative timeout, a bad URL).
        public static let invalidValue = Kind(.invalidValue)
        /// A `${NAME}` reference to an environment variable that is not set.
        public static let missingEnvironmentVariable = Kind(.missingEnvironmentVariable)
        /// A secret written into the file instead of a `${NAME}` reference.
        public static let plainSecret = Kind(.plainSecret)
        /// `SWITCHBOARD_CONFIG` names a file that does not exist.
        public static let fileNotFound = Kind(.fileNotFound)
        /// The file exists but could not be read.
        public static let unreadableFile = Kind(.unreadableFile)
        /// The file is not valid YAML.
        public static let invalidSyntax = Kind(.invalidSyntax)
    }

    public var kind: Kind
    /// The dotted path of the offending key, like `providers.openai.api_key`.
    public var keyPath: String
    /// The file the problem is in, when it is in one.
    public var file: String?
    /// The line in the file, counting from 1.
    public var line: Int?
    public var message: String

    public init(kind: Kind, keyPath: String, file: String? = nil, line: Int? = nil, message: String) {
        self.kind = kind
        self.keyPath = keyPath
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        var location = file ?? "configuration"
        if let line { location += ":\(line)" }
        return keyPath.isEmpty ? "\(location): \(message)" : "\(location): \(keyPath): \(message)"
    }
}
