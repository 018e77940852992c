import Foundation

/// A provider's base URL, checked once: it must be HTTPS unless it points at this machine.
public struct BaseURL: Hashable, Sendable, CustomStringConvertible {
    /// The URL without a trailing slash.
    public let string: String

    /// Checks `string`; throws `invalidRequest` when it is malformed or plain HTTP to another host.
    public init(_ string: String) throws {
        var trimmed = string.trimmingCharacters(in: .whitespaces)
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty
        else {
            throw ProviderError(kind: .invalidRequest, message: "'\(string)' is not a valid base URL")
        }
        guard components.user == nil, components.password == nil else {
            throw ProviderError(kind: .invalidRequest, message: "a base URL must not hold credentials")
        }
        switch scheme {
        case "https": break
        case "http" where Self.isLoopback(host): break
        case "http":
            throw ProviderError(
                kind: .invalidRequest,
                message: "base URL \(trimmed) uses plain HTTP to a host that is not this machine; use https://"
            )
        default:
            throw ProviderError(kind: .invalidRequest, message: "base URL scheme '\(scheme)' is not http or https")
        }
        self.string = trimmed
    }

    public var description: String { string }

    /// The URL of `path` (which starts with `/`) under this base.
    public func appending(_ path: String) -> String { string + path }

    static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}

extension BaseURL {
    static func isLoopbackURL(_ string: String) -> Bool {
        URLComponents(string: string)?.host.map(isLoopback) ?? false
    }
}
