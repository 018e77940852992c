/// The partition an answer is cached in: one scope never sees another's answers.
///
/// A scope is built from the request's metadata by the configured ``Key``s, for example the tenant
/// and the gateway key: `|key=k_123|tenant=acme|`. Values are escaped so no value can pose as
/// another component. Requests without any of the values share the empty scope `|`.
public struct CacheScope: Hashable, Sendable, CustomStringConvertible {
    /// A piece of request metadata that separates cached answers.
    public struct Key: Hashable, Sendable, Comparable, CustomStringConvertible {
        /// The component's name in the scope (`tenant`, `key`, `feature`, `user`, `component` or `tag.<name>`).
        public let name: String
        private let read: Source

        private enum Source: Hashable, Sendable {
            case tag(String), feature, user, component
        }

        private init(name: String, read: Source) {
            self.name = name
            self.read = read
        }

        /// The `tenant` tag (`RequestMetadata.tags["tenant"]`).
        public static let tenant = Key(name: "tenant", read: .tag("tenant"))
        /// The gateway's virtual key (`RequestMetadata.tags["gateway.key"]`).
        public static let apiKey = Key(name: "key", read: .tag("gateway.key"))
        /// ``RequestMetadata/feature``.
        public static let feature = Key(name: "feature", read: .feature)
        /// ``RequestMetadata/user``: add it to cache per end user.
        public static let user = Key(name: "user", read: .user)
        /// ``RequestMetadata/component``.
        public static let component = Key(name: "component", read: .component)
        /// Any tag of ``RequestMetadata/tags``.
        public static func tag(_ name: String) -> Key { Key(name: "tag.\(name)", read: .tag(name)) }

        /// The key a configuration names: `tenant`, `key`, `feature`, `user`, `component` or `tag.<name>`.
        public init?(configurationName name: String) {
            switch name {
            case "tenant": self = .tenant
            case "key": self = .apiKey
            case "feature": self = .feature
            case "user": self = .user
            case "component": self = .component
            default:
                guard name.hasPrefix("tag."), name.count > 4 else { return nil }
                self = .tag(String(name.dropFirst(4)))
            }
        }

        /// The value `metadata` has for this key.
        public func value(in metadata: RequestMetadata) -> String? {
            switch read {
            case .tag(let tag): metadata.tags[tag]
            case .feature: metadata.feature
            case .user: metadata.user
            case .component: metadata.component
            }
        }

        public var description: String { name }
        public static func < (lhs: Key, rhs: Key) -> Bool { lhs.name < rhs.name }
    }

    /// The scope as stored: `|name=value|name=value|`, components sorted by name.
    public let rawValue: String

    /// The scope of a request with `metadata` under `keys`.
    public init(metadata: RequestMetadata, keys: [Key]) {
        var text = "|"
        for key in Set(keys).sorted() {
            guard let value = key.value(in: metadata), !value.isEmpty else { continue }
            text += Self.component(name: key.name, value: value) + "|"
        }
        rawValue = text
    }

    /// A scope read back from a store.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `name=value` with `%`, `|` and `=` percent-encoded, as it appears between bars in ``rawValue``.
    public static func component(name: String, value: String) -> String {
        escape(name) + "=" + escape(value)
    }

    /// `|name=value|` for a filter written `name=value` (`feature=search`), matching every scope that
    /// contains that component; `nil` when the text has no `=`.
    public static func componentPattern(_ text: String) -> String? {
        guard let equals = text.firstIndex(of: "=") else { return nil }
        let name = String(text[..<equals])
        let value = String(text[text.index(after: equals)...])
        guard !name.isEmpty else { return nil }
        return "|" + component(name: name, value: value) + "|"
    }

    public var description: String { rawValue }

    private static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "%": result += "%25"
            case "|": result += "%7C"
            case "=": result += "%3D"
            default: result.append(character)
            }
        }
        return result
    }
}
