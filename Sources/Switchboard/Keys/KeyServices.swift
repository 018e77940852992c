import Foundation
import Logging
import Synchronization

/// What a client built from a configuration needs for its keys: the providers wrapped in
/// ``KeyedProvider`` where a pool is needed, the pools, the audit log and every secret to redact.
struct KeyServices: Sendable {
    var providers: [any LanguageModelProvider]
    var pools: [ProviderID: KeyPool]
    var auditLog: AuditLog?
    /// Every key any provider may use, for redaction.
    var secrets: SecretSet

    /// Wraps each provider of `configuration` whose keys need choosing, rotating or auditing.
    ///
    /// - Parameter providers: the adapters built from `configuration.providers`, in the same order.
    static func make(
        configuration: SwitchboardConfiguration, providers: [any LanguageModelProvider], transport: HTTPTransport,
        logger: Logger
    ) throws -> KeyServices {
        let store = configuration.keys.store(dataDirectory: configuration.dataDirectory)
        let needsStore = configuration.providers.contains { $0.apiKey == nil && $0.keys.isEmpty }
        let storeKeys = try needsStore && store?.exists == true ? store?.load() : nil
        let auditLog = try configuration.audit.map {
            AuditLog(
                store: try $0.makeStore(dataDirectory: configuration.dataDirectory), writeDelay: $0.writeDelay,
                logger: logger)
        }
        var wrapped: [any LanguageModelProvider] = []
        var pools: [ProviderID: KeyPool] = [:]
        let secrets = SecretSet(
            configuration.providers.flatMap { [$0.apiKey?.value].compactMap { $0 } + $0.keys.map(\.secret.value) })
        secrets.insert(contentsOf: storeKeys?.map(\.secret.value) ?? [])
        for (settings, provider) in zip(configuration.providers, providers) {
            let (ring, fromStore) = configuration.keyRing(for: settings, storeKeys: storeKeys)
            let plain =
                ring.count <= 1 && !fromStore && auditLog == nil
                && ring.allSatisfy { $0.scope.isUnrestricted && $0.activatesAt == nil && $0.expiresAt == nil }
            guard !plain, !ring.isEmpty || fromStore else {
                wrapped.append(provider)
                continue
            }
            let keys = configuration.keys
            let reloader: KeyPool.Reloader? =
                fromStore ? store.map { Self.reloader(store: $0, provider: settings.id, secrets: secrets) } : nil
            let onEvent = keys.onEvent
            let pool = KeyPool(
                provider: settings.id, keys: ring, strategy: keys.selection, defaultCooldown: keys.rateLimitCooldown,
                invalidKeyRetry: keys.invalidKeyRetry, now: keys.now, reloader: reloader,
                reloadInterval: keys.reloadInterval,
                onEvent: { event in
                    logger.warning("key alert", metadata: ["event": "\(event)"])
                    onEvent?(event)
                })
            pools[settings.id] = pool
            wrapped.append(
                KeyedProvider(pool: pool, template: provider, audit: auditLog, secrets: secrets, now: keys.now) { key in
                    var single = settings
                    single.apiKey = key
                    single.keys = []
                    return try single.makeProvider(transport: transport)
                })
        }
        return KeyServices(providers: wrapped, pools: pools, auditLog: auditLog, secrets: secrets)
    }

    /// Re-reads `store` when its modification time or size changed; the keys of `provider`.
    static func reloader(store: EncryptedKeyStore, provider: ProviderID, secrets: SecretSet) -> KeyPool.Reloader {
        let lastSeen = LastSeenFile(stamp(of: store.path))
        return {
            guard lastSeen.replace(with: stamp(of: store.path)) else { return nil }
            let keys = try store.load().filter { $0.provider == provider }
            secrets.insert(contentsOf: keys.map(\.secret.value))
            return keys
        }
    }

    /// Modification time, size and inode: every save renames a new file into place, so the inode alone
    /// tells a change even when the clock's resolution does not.
    private static func stamp(of path: String) -> String {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        let size = (attributes?[.size] as? NSNumber)?.intValue ?? -1
        let inode = (attributes?[.systemFileNumber] as? NSNumber)?.intValue ?? -1
        return "\(modified)/\(size)/\(inode)"
    }
}

/// The last modification stamp a reloader saw.
private final class LastSeenFile: Sendable {
    private let stamp: Mutex<String>

    init(_ stamp: String) { self.stamp = Mutex(stamp) }

    /// Stores `new`; returns whether it differs from the one before.
    func replace(with new: String) -> Bool {
        stamp.withLock { stamp in
            defer { stamp = new }
            return stamp != new
        }
    }
}
