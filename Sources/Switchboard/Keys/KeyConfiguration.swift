import Foundation

/// How a client finds, chooses and rotates provider keys.
///
/// ## Where keys come from
///
/// A provider's key ring is built from these sources, first match wins:
///
/// 1. **Code**: ``ProviderConfiguration/apiKey`` and ``ProviderConfiguration/keys`` set by the caller
///    (which override what ``SwitchboardConfiguration/load(environment:currentDirectory:)`` read).
/// 2. **Environment**: the official SDK variables (`OPENAI_API_KEY`, `ANTHROPIC_API_KEY`,
///    `GEMINI_API_KEY`/`GOOGLE_API_KEY`, `OLLAMA_API_KEY`) override the file's `api_key`.
/// 3. **Configuration file**: `api_key` and `api_keys` of a provider, each a reference — `${ENV_VAR}`
///    or `file:/run/secrets/NAME` — never the key itself.
/// 4. **Encrypted key store** (``EncryptedKeyStore``, `switchboard keys add`): the store's keys for the
///    provider, used when none of the above gives it a key. Such a pool re-reads the store when the
///    file changes (checked at most every ``reloadInterval``) and on ``LLMClient/reloadKeys()``.
///
/// The ring is ``ProviderConfiguration/apiKey`` (named `default`) followed by ``ProviderConfiguration/keys``.
/// A provider with one plain key and no audit trail sends exactly as before; otherwise it is wrapped in
/// a ``KeyedProvider`` with a ``KeyPool``.
public struct KeyConfiguration: Sendable {
    /// How requests are spread over a provider's keys.
    public var selection: KeySelectionStrategy = .failover
    /// The encrypted key store; `nil` uses `<data directory>/keys.store`.
    public var storePath: String?
    /// The store's master secret (`SWITCHBOARD_MASTER_KEY` or `SWITCHBOARD_MASTER_KEY_FILE`); without
    /// it the store is not read.
    public var masterSecret: MasterSecret?
    /// How often a store-backed pool checks whether the file changed.
    public var reloadInterval: Duration = .seconds(10)
    /// How long a rate-limited key rests when the provider gave no reset time.
    public var rateLimitCooldown: Duration = .seconds(60)
    /// How long a key the provider rejected (401) is left out before it is tried again.
    public var invalidKeyRetry: Duration = .seconds(600)
    /// Told of every key alert (a key rejected, rate limited, made primary, the keys reloaded).
    public var onEvent: (@Sendable (KeyPoolEvent) -> Void)?
    /// The wall clock for key time windows and rests (inject one in tests).
    public var now: @Sendable () -> Date = { Date() }

    public init() {}

    /// The store at ``storePath`` (or the default under `dataDirectory`), when a master secret is set.
    public func store(dataDirectory: String) -> EncryptedKeyStore? {
        guard let masterSecret else { return nil }
        return EncryptedKeyStore(
            path: storePath ?? EncryptedKeyStore.defaultPath(dataDirectory: dataDirectory), masterSecret: masterSecret)
    }
}

/// Where the audit trail of key use and key management is written.
public struct AuditConfiguration: Sendable {
    /// A store of your own; `nil` uses SQLite at ``path``.
    public var store: (any AuditStore)?
    /// The SQLite file; `nil` uses `<data directory>/audit.sqlite`.
    public var path: String?
    /// How long an event waits for others to share its write (one transaction per request is costly);
    /// shutdown and ``AuditLog/flush()`` write at once.
    public var writeDelay: Duration = .milliseconds(100)

    public init(store: (any AuditStore)? = nil, path: String? = nil) {
        self.store = store
        self.path = path
    }

    /// The store this configuration names.
    public func makeStore(dataDirectory: String) throws -> any AuditStore {
        if let store { return store }
        return try SQLiteAuditStore(path: path ?? SQLiteAuditStore.path(dataDirectory: dataDirectory))
    }
}
