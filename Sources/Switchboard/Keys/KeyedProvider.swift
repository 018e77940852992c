import Foundation
import Logging
import Synchronization

/// A provider that chooses one of several keys for every call, from a ``KeyPool``.
///
/// Each `complete`, `stream`, `models` and `embed` call — so each retry and fallback attempt too —
/// asks the pool for a key the caller may use (``KeyScope``; callers name themselves in
/// ``RequestMetadata/component``, ``RequestMetadata/feature`` and ``RequestMetadata/user``), and sends
/// with the adapter built for that key. When the provider answers:
///
/// - 401 (`authentication`): the key is marked invalid (an alert: a ``KeyPoolEvent``, a warning log
///   line and a `key_invalidated` audit entry) and the call is sent again at once with the next key;
/// - 429 (`rateLimited`): the key rests until the provider's reset time and the call is sent again
///   with another key; when every key rests, the error goes to the retry policy with the earliest reset;
/// - anything else: the error is the caller's.
///
/// Every call is recorded in the ``AuditLog`` (component, key fingerprint, provider, model, outcome).
public struct KeyedProvider: LanguageModelProvider {
    public let pool: KeyPool
    /// The adapter the per-key adapters are made like (its key is not used); tells the wire format.
    public let template: any LanguageModelProvider
    public let id: ProviderID
    public let defaultModel: String?
    public let isLocal: Bool
    private let audit: AuditLog?
    private let secrets: SecretSet
    private let now: @Sendable () -> Date
    private let adapters: AdapterCache

    /// - Parameters:
    ///   - makeProvider: builds the adapter for one key (called once per key, then cached).
    ///   - template: an adapter with the provider's id, default model and locality.
    ///   - secrets: every secret to remove from errors (default: the pool's keys), so a provider's error
    ///     that quotes another key does not pass it on.
    public init(
        pool: KeyPool,
        template: any LanguageModelProvider,
        audit: AuditLog? = nil,
        secrets: SecretSet? = nil,
        now: @escaping @Sendable () -> Date = { Date() },
        makeProvider: @escaping @Sendable (APIKey) throws -> any LanguageModelProvider
    ) {
        self.pool = pool
        self.template = template
        self.id = template.id
        self.defaultModel = template.defaultModel
        self.isLocal = template.isLocal
        self.audit = audit
        self.secrets = secrets ?? SecretSet(pool.secrets)
        self.now = now
        self.adapters = AdapterCache(make: makeProvider)
    }

    public func complete(_ request: ChatRequest, logger: Logger) async throws -> ChatResponse {
        try await withKey(request.metadata, model: request.model, logger: logger) { provider in
            try await provider.complete(request, logger: logger)
        }
    }

    public func stream(_ request: ChatRequest, logger: Logger) async throws -> ChatEventStream {
        let stream = try await withKey(request.metadata, model: request.model, logger: logger) { provider in
            try await provider.stream(request, logger: logger)
        }
        return ChatEventStream(ErrorRedactingEvents(base: stream, secrets: secrets))
    }

    public func models(logger: Logger) async throws -> [ModelInfo] {
        try await withKey(RequestMetadata(), model: nil, checksScope: false, logger: logger) { provider in
            try await provider.models(logger: logger)
        }
    }

    public func embed(_ request: EmbeddingRequest, logger: Logger) async throws -> EmbeddingResponse {
        try await withKey(request.metadata, model: request.model, logger: logger) { provider in
            try await provider.embed(request, logger: logger)
        }
    }

    /// Runs `operation` with the adapter of a chosen key, moving to the next key after a 401 or 429.
    func withKey<T>(
        _ metadata: RequestMetadata, model requested: String?, checksScope: Bool = true, logger: Logger,
        _ operation: (any LanguageModelProvider) async throws -> T
    ) async throws -> T {
        do {
            return try await rotating(metadata, model: requested, checksScope: checksScope, logger: logger, operation)
        } catch var error as ProviderError {
            error.message = secrets.redact(error.message)
            throw error
        }
    }

    private func rotating<T>(
        _ metadata: RequestMetadata, model requested: String?, checksScope: Bool, logger: Logger,
        _ operation: (any LanguageModelProvider) async throws -> T
    ) async throws -> T {
        let model = requested ?? defaultModel
        var tried: Set<String> = []
        var lastError: ProviderError?
        while true {
            let key: ManagedKey
            do {
                key = try pool.select(
                    for: checksScope ? metadata : RequestMetadata(), model: checksScope ? model : nil, excluding: tried)
            } catch let error as ProviderError {
                if error.kind == .accessDenied {
                    record(.accessDenied, key: nil, metadata: metadata, model: model, outcome: "\(error.kind)")
                    logger.warning(
                        "no key may be used by this caller",
                        metadata: ["provider": "\(id)", "component": "\(metadata.component ?? "-")"])
                }
                throw lastError ?? error
            }
            tried.insert(key.fingerprint)
            KeyUse.current?.record(key.fingerprint)
            do {
                let result = try await operation(try adapters.adapter(for: key.secret))
                record(.keyUsed, key: key, metadata: metadata, model: model, outcome: "success")
                return result
            } catch let error as ProviderError {
                record(.keyUsed, key: key, metadata: metadata, model: model, outcome: "\(error.kind)")
                let detail = secrets.redact(error.message)
                switch error.kind {
                case .authentication:
                    pool.markInvalid(key, detail: detail)
                    record(
                        .keyInvalidated, key: key, metadata: metadata, model: model, outcome: "\(error.kind)",
                        detail: detail)
                    logger.warning(
                        "API key rejected; using the next key",
                        metadata: ["provider": "\(id)", "key": "\(key.name)", "key_fingerprint": "\(key.fingerprint)"])
                case .rateLimited:
                    let until = now().addingTimeInterval((error.retryAfter ?? pool.defaultCooldown).seconds)
                    pool.coolDown(key, until: until, detail: detail)
                    record(
                        .keyRateLimited, key: key, metadata: metadata, model: model, outcome: "\(error.kind)",
                        detail: "resting until \(until.ISO8601Format())")
                    logger.notice(
                        "API key rate limited; trying another key",
                        metadata: ["provider": "\(id)", "key": "\(key.name)", "key_fingerprint": "\(key.fingerprint)"])
                default:
                    throw error
                }
                lastError = error
            }
        }
    }

    private func record(
        _ action: AuditEvent.Action, key: ManagedKey?, metadata: RequestMetadata, model: String?, outcome: String,
        detail: String? = nil
    ) {
        guard let audit else { return }
        audit.record(
            AuditEvent(
                date: now(), action: action, provider: id, model: model, keyName: key?.name,
                keyFingerprint: key?.fingerprint, component: metadata.component, feature: metadata.feature,
                user: metadata.user, outcome: outcome, detail: detail))
    }
}

/// The adapter built for each key, made once.
private final class AdapterCache: Sendable {
    private let make: @Sendable (APIKey) throws -> any LanguageModelProvider
    private let adapters = Mutex<[APIKey: any LanguageModelProvider]>([:])

    init(make: @escaping @Sendable (APIKey) throws -> any LanguageModelProvider) { self.make = make }

    func adapter(for key: APIKey) throws -> any LanguageModelProvider {
        if let adapter = adapters.withLock({ $0[key] }) { return adapter }
        let adapter = try make(key)
        adapters.withLock { $0[key] = adapter }
        return adapter
    }
}

/// A stream whose thrown ``ProviderError``s have every known secret removed from their message.
private struct ErrorRedactingEvents: AsyncSequence, Sendable {
    typealias Element = ChatEvent

    let base: ChatEventStream
    let secrets: SecretSet

    func makeAsyncIterator() -> Iterator { Iterator(base: base.makeAsyncIterator(), secrets: secrets) }

    struct Iterator: AsyncIteratorProtocol {
        var base: ChatEventStream.Iterator
        let secrets: SecretSet

        mutating func next() async throws -> ChatEvent? {
            do {
                return try await base.next()
            } catch var error as ProviderError {
                error.message = secrets.redact(error.message)
                throw error
            }
        }
    }
}
