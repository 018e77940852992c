import Foundation
import Yams

extension ConfigurationFileParser {
    /// The `keys`, `audit` and `tls` sections:
    ///
    /// ```yaml
    /// keys:
    ///   selection: round_robin        # failover (default), round_robin or weighted
    ///   store: /var/lib/switchboard/keys.store   # default <data_directory>/keys.store
    ///   reload_interval: 10s
    ///   rate_limit_cooldown: 60s
    /// audit: { enabled: true, path: /var/lib/switchboard/audit.sqlite, write_delay: 100ms }
    /// tls: { ca_bundle: /etc/ssl/corporate-ca.pem }
    /// ```
    func security(_ top: [String: Node], into configuration: inout SwitchboardConfiguration) throws {
        if let node = top["keys"] {
            let keys = try mapping(
                node, path: "keys", allowed: ["selection", "store", "reload_interval", "rate_limit_cooldown"])
            if let value = keys["selection"] {
                let text = try string(value, path: "keys.selection")
                guard let strategy = KeySelectionStrategy(rawValue: text) else {
                    throw ConfigurationError(
                        kind: .invalidValue, keyPath: "keys.selection", file: file, line: value.line,
                        message: "'\(text)' is not one of: "
                            + KeySelectionStrategy.allCases.map(\.rawValue).joined(separator: ", "))
                }
                configuration.keys.selection = strategy
            }
            if let value = keys["store"] {
                configuration.keys.storePath = try expandingEnvironment(
                    try string(value, path: "keys.store"), path: "keys.store", node: value)
            }
            if let value = keys["reload_interval"] {
                configuration.keys.reloadInterval = try duration(value, path: "keys.reload_interval")
            }
            if let value = keys["rate_limit_cooldown"] {
                configuration.keys.rateLimitCooldown = try duration(value, path: "keys.rate_limit_cooldown")
            }
        }
        if let node = top["audit"] {
            let audit = try mapping(node, path: "audit", allowed: ["enabled", "path", "write_delay"])
            let enabled = try audit["enabled"].map { try bool($0, path: "audit.enabled") } ?? true
            var settings = AuditConfiguration()
            if let value = audit["path"] {
                settings.path = try expandingEnvironment(
                    try string(value, path: "audit.path"), path: "audit.path", node: value)
            }
            if let value = audit["write_delay"] {
                settings.writeDelay = try durationOrZero(value, path: "audit.write_delay")
            }
            configuration.audit = enabled ? settings : nil
        }
        if let node = top["tls"] {
            let tls = try mapping(node, path: "tls", allowed: ["ca_bundle"])
            if let value = tls["ca_bundle"] {
                let path = try expandingEnvironment(
                    try string(value, path: "tls.ca_bundle"), path: "tls.ca_bundle", node: value)
                guard FileManager.default.isReadableFile(atPath: path) else {
                    throw ConfigurationError(
                        kind: .invalidValue, keyPath: "tls.ca_bundle", file: file, line: value.line,
                        message: "'\(path)' is not a readable PEM file")
                }
                configuration.transport.caBundlePath = path
            }
        }
    }

    /// A provider's `api_keys` list:
    ///
    /// ```yaml
    /// api_keys:
    ///   - name: billing
    ///     key: file:/run/secrets/openai-billing
    ///     weight: 3
    ///     components: [billing]
    ///     models: [gpt-4o*]
    ///     activates_at: 2026-12-01T00:00:00Z
    ///     expires_at: 2027-01-01T00:00:00Z
    /// ```
    func apiKeys(_ node: Node, provider: ProviderID, path: String) throws -> [ManagedKey] {
        guard case .sequence(let items) = node else {
            throw wrongType(node, path: "\(path).api_keys", expected: "a list of keys")
        }
        var names: Set<String> = []
        return try items.enumerated().map { index, item in
            let itemPath = "\(path).api_keys[\(index)]"
            let settings = try mapping(
                item, path: itemPath,
                allowed: [
                    "name", "key", "weight", "components", "features", "users", "models", "activates_at", "expires_at",
                ])
            guard let keyNode = settings["key"] else {
                throw ConfigurationError(
                    kind: .invalidValue, keyPath: "\(itemPath).key", file: file, line: item.line,
                    message: "each key needs a key: ${ENV_VAR} or file:/path reference")
            }
            let name = try settings["name"].map { try string($0, path: "\(itemPath).name") } ?? "key-\(index + 1)"
            guard names.insert(name).inserted else {
                throw ConfigurationError(
                    kind: .invalidValue, keyPath: "\(itemPath).name", file: file, line: item.line,
                    message: "the name '\(name)' is used twice")
            }
            func list(_ key: String) throws -> [String] {
                guard let node = settings[key] else { return [] }
                guard case .sequence(let values) = node else {
                    throw wrongType(node, path: "\(itemPath).\(key)", expected: "a list")
                }
                return try values.map { try string($0, path: "\(itemPath).\(key)") }
            }
            func date(_ key: String) throws -> Date? {
                guard let node = settings[key] else { return nil }
                let text = try string(node, path: "\(itemPath).\(key)")
                guard let date = try? Date(text, strategy: .iso8601) else {
                    throw ConfigurationError(
                        kind: .invalidValue, keyPath: "\(itemPath).\(key)", file: file, line: node.line,
                        message: "'\(text)' is not a time like 2026-12-01T00:00:00Z")
                }
                return date
            }
            return ManagedKey(
                name: name, provider: provider, secret: APIKey(try secret(keyNode, path: "\(itemPath).key")),
                weight: try settings["weight"].map { try positiveInt($0, path: "\(itemPath).weight") } ?? 1,
                scope: KeyScope(
                    components: try list("components"), features: try list("features"), users: try list("users"),
                    models: try list("models")),
                activatesAt: try date("activates_at"), expiresAt: try date("expires_at"))
        }
    }

    /// The contents of a `file:` secret reference (Docker and Kubernetes secrets), without its trailing newline.
    func fileSecret(_ location: String, path: String, node: Node) throws -> String {
        let secretPath = try expandingEnvironment(location, path: path, node: node)
        guard secretPath.hasPrefix("/"), let data = FileManager.default.contents(atPath: secretPath) else {
            throw ConfigurationError(
                kind: .invalidValue, keyPath: path, file: file, line: node.line,
                message: "file:\(secretPath) is not a readable file (give an absolute path)")
        }
        let value = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty else {
            throw ConfigurationError(
                kind: .invalidValue, keyPath: path, file: file, line: node.line, message: "file:\(secretPath) is empty")
        }
        return value
    }
}
