import ArgumentParser
import Foundation
import Switchboard

/// `switchboard keys`: the encrypted store of provider API keys (not the gateway's virtual keys,
/// which are `switchboard gateway keys`).
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Manage provider API keys in the encrypted key store.",
        discussion: """
            The store is <data directory>/keys.store (keys.store in switchboard.yaml), sealed with AES-256-GCM \
            under a key derived (HKDF-SHA256) from SWITCHBOARD_MASTER_KEY or the file named by \
            SWITCHBOARD_MASTER_KEY_FILE (at least 32 random bytes: openssl rand -base64 32). It is created with \
            mode 0600 and refused when its group or others may open it. Keys are read from standard input (or \
            --from-env), never from the command line. Every change is written to the audit trail.
            """,
        subcommands: [KeysAdd.self, KeysList.self, KeysRemove.self, KeysRotate.self])
}

/// What the key commands share: the store, the audit trail and the secret's input.
struct KeyStoreContext {
    let environment: CommandEnvironment
    let configuration: SwitchboardConfiguration
    let store: EncryptedKeyStore

    init() throws {
        environment = CommandEnvironment(verbose: false)
        var configuration = try environment.loadConfiguration()
        if configuration.keys.masterSecret == nil {
            configuration.keys.masterSecret = try MasterSecret.fromEnvironment(environment.environment)
        }
        guard let store = configuration.keys.store(dataDirectory: configuration.dataDirectory) else {
            throw KeyStoreError(
                kind: .missingMasterSecret,
                path: configuration.keys.storePath
                    ?? EncryptedKeyStore.defaultPath(dataDirectory: configuration.dataDirectory),
                message: "set SWITCHBOARD_MASTER_KEY or SWITCHBOARD_MASTER_KEY_FILE to use the key store")
        }
        self.configuration = configuration
        self.store = store
    }

    /// The key from `--from-env VARIABLE`, else the first line of standard input.
    func readSecret(fromEnvironment variable: String?) throws -> APIKey {
        let text: String?
        if let variable {
            text = environment.environment[variable]
        } else {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            text = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init)
        }
        guard let value = text?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
            throw UsageError(description: "no key given: pipe it to standard input or use --from-env VARIABLE")
        }
        return APIKey(value)
    }

    /// Appends a management event to the audit trail (when the configuration keeps one).
    func audit(_ action: AuditEvent.Action, key: ManagedKey, detail: String? = nil) async throws {
        guard let audit = configuration.audit else { return }
        let store = try audit.makeStore(dataDirectory: configuration.dataDirectory)
        try await store.append([
            AuditEvent(
                date: Date(), action: action, provider: key.provider, keyName: key.name,
                keyFingerprint: key.fingerprint, component: "cli", user: environment.environment["USER"],
                detail: detail)
        ])
    }

    static func date(_ text: String?, option: String) throws -> Date? {
        guard let text else { return nil }
        guard let date = try? Date(text, strategy: .iso8601) else {
            throw UsageError(description: "\(option) '\(text)' is not a time like 2026-12-01T00:00:00Z")
        }
        return date
    }
}

struct KeysAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a key (read from standard input) for a provider.")

    @Argument(help: "The provider the key is for (openai, anthropic, gemini, ollama or a configured name).")
    var provider: String

    @Option(name: .long, help: "A name for the key, unique per provider.")
    var name: String

    @Option(name: .customLong("from-env"), help: "Read the key from this environment variable instead of stdin.")
    var fromEnvironment: String?

    @Option(name: .long, help: "Share of traffic with `keys.selection: weighted`.")
    var weight: Int = 1

    @Option(name: .long, help: "A component that may use the key (repeatable; none: any).")
    var component: [String] = []

    @Option(name: .long, help: "A feature that may use the key (repeatable; none: any).")
    var feature: [String] = []

    @Option(name: .long, help: "A user that may use the key (repeatable; none: any).")
    var user: [String] = []

    @Option(name: .long, help: "A model the key may be used for, or a prefix ending in * (repeatable; none: any).")
    var model: [String] = []

    @Option(name: .customLong("activates-at"), help: "When the key becomes usable and primary (ISO 8601).")
    var activatesAt: String?

    @Option(name: .customLong("expires-at"), help: "When the key stops being used (ISO 8601).")
    var expiresAt: String?

    func run() async throws {
        let context = try KeyStoreContext()
        guard weight >= 1 else { throw UsageError(description: "--weight must be 1 or more") }
        let key = ManagedKey(
            name: name, provider: ProviderID(provider),
            secret: try context.readSecret(fromEnvironment: fromEnvironment),
            weight: weight, scope: KeyScope(components: component, features: feature, users: user, models: model),
            createdAt: Date(), activatesAt: try KeyStoreContext.date(activatesAt, option: "--activates-at"),
            expiresAt: try KeyStoreContext.date(expiresAt, option: "--expires-at"))
        try context.store.add(key)
        try await context.audit(.keyAdded, key: key)
        context.environment.output.write("added \(key.provider)/\(key.name) (\(key.fingerprint))\n")
    }
}

struct KeysList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the stored keys: name, provider, fingerprint, scopes, created, last used.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @Option(name: .long, help: "table or json.")
    var format: Format = .table

    func run() async throws {
        let context = try KeyStoreContext()
        let keys = try context.store.load()
        var lastUsed: [String: Date] = [:]
        if let audit = context.configuration.audit {
            let path = audit.path ?? SQLiteAuditStore.path(dataDirectory: context.configuration.dataDirectory)
            if FileManager.default.fileExists(atPath: path) {
                lastUsed = try await SQLiteAuditStore(path: path).lastUse()
            }
        }
        let now = Date()
        func day(_ date: Date?) -> String { date.map { $0.ISO8601Format() } ?? "-" }
        func status(_ key: ManagedKey) -> String {
            if let activatesAt = key.activatesAt, now < activatesAt { return "scheduled" }
            if let expiresAt = key.expiresAt, now >= expiresAt { return "expired" }
            return key.expiresAt == nil ? "active" : "retiring"
        }
        let output = context.environment.output
        switch format {
        case .json:
            let rows: [JSONValue] = keys.map { key in
                var row: [String: JSONValue] = [
                    "name": .string(key.name), "provider": .string(key.provider.rawValue),
                    "fingerprint": .string(key.fingerprint), "scopes": .string(key.scope.description),
                    "weight": .number(Double(key.weight)), "created": .string(key.createdAt.ISO8601Format()),
                    "status": .string(status(key)),
                ]
                if let used = lastUsed[key.fingerprint] { row["last_used"] = .string(used.ISO8601Format()) }
                if let activatesAt = key.activatesAt { row["activates_at"] = .string(activatesAt.ISO8601Format()) }
                if let expiresAt = key.expiresAt { row["expires_at"] = .string(expiresAt.ISO8601Format()) }
                return .object(row)
            }
            output.write(JSONValue.array(rows).jsonString() + "\n")
        case .table:
            guard !keys.isEmpty else {
                output.write("no keys in \(context.store.path)\n")
                return
            }
            let header = ["PROVIDER", "NAME", "FINGERPRINT", "SCOPES", "STATUS", "CREATED", "LAST USED"]
            let rows = keys.map { key in
                [
                    key.provider.rawValue, key.name, key.fingerprint, key.scope.description, status(key),
                    day(key.createdAt), day(lastUsed[key.fingerprint]),
                ]
            }
            let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
            for row in [header] + rows {
                let padded = row.enumerated().map { index, cell in
                    cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
                }
                output.write(padded.joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n")
            }
        }
    }
}

struct KeysRemove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove a stored key.")

    @Argument(help: "The provider.") var provider: String
    @Argument(help: "The key's name.") var name: String

    func run() async throws {
        let context = try KeyStoreContext()
        let removed = try context.store.remove(name: name, provider: ProviderID(provider))
        try await context.audit(.keyRemoved, key: removed)
        context.environment.output.write("removed \(removed.provider)/\(removed.name) (\(removed.fingerprint))\n")
    }
}

struct KeysRotate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract:
            "Replace a key (the new one read from standard input) at a set time, keeping the old one for an overlap.",
        discussion: """
            The new key takes the name and becomes primary at --at (default: now); the old key, renamed \
            <name>.previous, stays usable until --at plus --overlap. Running clients pick the change up \
            without a restart.
            """)

    @Argument(help: "The provider.") var provider: String
    @Argument(help: "The key's name.") var name: String

    @Option(name: .long, help: "When the new key becomes primary (ISO 8601; default now).")
    var at: String?

    @Option(name: .long, help: "How long the old key stays usable after --at, like 30m, 1h, 2d.")
    var overlap: String = "1h"

    @Option(name: .customLong("from-env"), help: "Read the new key from this environment variable instead of stdin.")
    var fromEnvironment: String?

    func run() async throws {
        let context = try KeyStoreContext()
        guard let overlapDuration = Self.duration(overlap) else {
            throw UsageError(description: "--overlap '\(overlap)' is not a duration like 30m, 1h or 2d")
        }
        let now = Date()
        let date = try KeyStoreContext.date(at, option: "--at") ?? now
        let (old, new) = try context.store.rotate(
            name: name, provider: ProviderID(provider),
            newSecret: try context.readSecret(fromEnvironment: fromEnvironment),
            at: date, overlap: overlapDuration, now: now)
        try await context.audit(
            .keyRotated, key: new,
            detail:
                "replaces \(old.fingerprint) at \(date.ISO8601Format()); old key usable until \(old.expiresAt?.ISO8601Format() ?? "-")"
        )
        context.environment.output.write(
            "rotated \(new.provider)/\(new.name): \(new.fingerprint) primary from \(date.ISO8601Format()), "
                + "\(old.fingerprint) usable until \(old.expiresAt?.ISO8601Format() ?? "-")\n")
    }

    static func duration(_ text: String) -> Duration? {
        guard let unit = text.last, let value = Int64(text.dropLast()), value >= 0 else { return nil }
        switch unit {
        case "s": return .seconds(value)
        case "m": return .seconds(value * 60)
        case "h": return .seconds(value * 3600)
        case "d": return .seconds(value * 86400)
        default: return nil
        }
    }
}
