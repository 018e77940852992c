import Foundation

/// Removes secrets from text before it reaches a log, an error or a file.
///
/// Two passes: exact known secrets (the keys a provider was configured with), and shapes that look
/// like provider keys (`sk-…`, `sk-ant-…`, `AIza…`) even when we do not know them.
public enum SecretRedactor {
    /// What a redacted secret is replaced with.
    public static let mask = "[REDACTED]"

    /// Replaces every occurrence of each of `secrets`, then every key-shaped token.
    public static func redact(_ text: String, secrets: [String]) -> String {
        var result = text
        for secret in secrets where secret.count >= 4 {
            result = result.replacingOccurrences(of: secret, with: mask)
        }
        return redactPatterns(in: result)
    }

    /// Replaces every token that looks like a provider key, and the token after `Bearer `.
    public static func redactPatterns(in text: String) -> String {
        guard text.contains("sk-") || text.contains("AIza") || text.contains("earer ") else { return text }
        var output = ""
        output.reserveCapacity(text.count)
        var token = ""
        var followsBearer = false
        func flush() {
            let isBearerToken = followsBearer && token.count >= 8
            output += looksLikeKey(token) || isBearerToken ? mask : token
            if !token.isEmpty { followsBearer = token.lowercased() == "bearer" }
            token = ""
        }
        for character in text {
            if character.isLetter || character.isNumber || character == "-" || character == "_" {
                token.append(character)
            } else {
                flush()
                if character != " " { followsBearer = false }
                output.append(character)
            }
        }
        flush()
        return output
    }

    private static func looksLikeKey(_ token: String) -> Bool {
        guard token.count >= 20 else { return false }
        return token.hasPrefix("sk-") || token.hasPrefix("AIza")
    }
}

/// An API key that never prints itself.
///
/// `description` and `debugDescription` show only a fingerprint, so a key that ends up in string
/// interpolation, a log's metadata or a dump is not exposed.
public struct APIKey: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The key itself, for the transport to put into a header.
    public let value: String

    public init(_ value: String) { self.value = value }

    /// The last four characters, enough to tell keys apart.
    public var fingerprint: String { "…" + String(value.suffix(4)) }

    public var description: String { "APIKey(\(fingerprint))" }
    public var debugDescription: String { description }
}

extension APIKey: CustomReflectable {
    /// A mirror with the fingerprint only, so `dump` and reflection show no key.
    public var customMirror: Mirror { Mirror(self, children: ["fingerprint": fingerprint]) }
}
