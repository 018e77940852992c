import Foundation
import Synchronization

/// The keys of one provider and the choice among them for each HTTP attempt.
///
/// A ``KeyedProvider`` asks ``select(for:model:excluding:)`` before every call, so each retry and
/// fallback may use a different key. Keys come and go without a restart: ``replaceKeys(_:)``,
/// ``reload()``, or a `reloader` the pool asks at most every `reloadInterval` (the encrypted key
/// store's reloader re-reads the file when it changed).
///
/// - A key the provider rejects (``markInvalid(_:detail:)``, on HTTP 401) is not chosen again until
///   the keys are reloaded or `invalidKeyRetry` has passed (then it is tried once more, and a second
///   401 marks it again); a ``KeyPoolEvent`` says so each time.
/// - A rate-limited key (``coolDown(_:until:detail:)``, on HTTP 429) rests until its limit resets.
/// - A key is chosen only inside its time window (``ManagedKey/activatesAt`` ..< ``ManagedKey/expiresAt``),
///   read from the injected `now`: a scheduled rotation makes the new key primary at its time while
///   the old one stays usable until its overlap ends.
public final class KeyPool: Sendable {
    /// Re-reads the keys; returns `nil` when nothing changed.
    public typealias Reloader = @Sendable () throws -> [ManagedKey]?

    public let provider: ProviderID
    public let strategy: KeySelectionStrategy
    /// How long a rate-limited key rests when the provider gave no reset time.
    public let defaultCooldown: Duration
    /// How long a rejected key is left out before it is tried again.
    public let invalidKeyRetry: Duration
    /// Every event, for a caller that wants alerts as a sequence. Buffers the newest 100.
    public let events: AsyncStream<KeyPoolEvent>

    private struct State {
        var keys: [ManagedKey]
        var invalid: [String: Date] = [:]
        var coolingUntil: [String: Date] = [:]
        var lastUsed: [String: Date] = [:]
        var cursor = 0
        var currentWeights: [String: Int] = [:]
        var primary: String?
        var lastReloadCheck: Date?
    }

    private let state: Mutex<State>
    private let now: @Sendable () -> Date
    private let reloader: Reloader?
    private let reloadInterval: Duration
    private let onEvent: (@Sendable (KeyPoolEvent) -> Void)?
    private let continuation: AsyncStream<KeyPoolEvent>.Continuation

    /// - Parameters:
    ///   - now: the wall clock (inject one in tests).
    ///   - reloader: asked for fresh keys at most every `reloadInterval` during selection and by ``reload()``.
    ///   - onEvent: told of every event as it happens (log it, page someone).
    public init(
        provider: ProviderID,
        keys: [ManagedKey],
        strategy: KeySelectionStrategy = .failover,
        defaultCooldown: Duration = .seconds(60),
        invalidKeyRetry: Duration = .seconds(600),
        now: @escaping @Sendable () -> Date = { Date() },
        reloader: Reloader? = nil,
        reloadInterval: Duration = .seconds(10),
        onEvent: (@Sendable (KeyPoolEvent) -> Void)? = nil
    ) {
        self.provider = provider
        self.strategy = strategy
        self.defaultCooldown = defaultCooldown
        self.invalidKeyRetry = invalidKeyRetry
        self.now = now
        self.reloader = reloader
        self.reloadInterval = reloadInterval
        self.onEvent = onEvent
        (events, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(100))
        state = Mutex(State(keys: keys, lastReloadCheck: now()))
    }

    deinit { continuation.finish() }

    /// The keys as configured now, in order.
    public var keys: [ManagedKey] { state.withLock { $0.keys } }

    /// The fingerprints of the keys rejected and left out now.
    public var invalidFingerprints: Set<String> {
        let date = now()
        return state.withLock { state in
            Set(state.invalid.filter { date.timeIntervalSince($0.value) < invalidKeyRetry.seconds }.keys)
        }
    }

    /// When each key (by fingerprint) was last chosen by this pool.
    public var lastUsed: [String: Date] { state.withLock { $0.lastUsed } }

    /// Every key secret the pool holds, for redaction.
    var secrets: [String] { state.withLock { $0.keys.map(\.secret.value) } }

    /// Chooses the key for one HTTP attempt of a request with `metadata` for `model`.
    ///
    /// - Parameter excluded: fingerprints already tried for this request.
    /// - Throws: ``ProviderError/Kind/accessDenied`` when no key's scope admits the caller and model;
    ///   `authentication` when every admitted key was rejected; `rateLimited` (with `retryAfter`) when
    ///   every admitted key is resting; `notConfigured` when no key is in its time window.
    public func select(
        for metadata: RequestMetadata, model: String?, excluding excluded: Set<String> = []
    ) throws -> ManagedKey {
        try reloadIfDue()
        let date = now()
        let (choice, events) = try state.withLock { state throws -> (ManagedKey, [KeyPoolEvent]) in
            var events: [KeyPoolEvent] = []
            let active = state.keys.filter { $0.isActive(at: date) }
            if let primary = Self.primary(of: active), primary.fingerprint != state.primary {
                if state.primary != nil {
                    events.append(
                        KeyPoolEvent(
                            kind: .becamePrimary, provider: provider, keyName: primary.name,
                            fingerprint: primary.fingerprint, date: date))
                }
                state.primary = primary.fingerprint
            }
            guard !active.isEmpty else {
                throw ProviderError(
                    kind: .notConfigured, provider: provider,
                    message: state.keys.isEmpty
                        ? "no API key is configured" : "none of the \(state.keys.count) keys is active at this time")
            }
            let permitted = active.filter { $0.scope.allows(metadata, model: model) }
            guard !permitted.isEmpty else {
                throw ProviderError(
                    kind: .accessDenied, provider: provider,
                    message:
                        "no key of \(provider) may be used by \(Self.caller(metadata)) for model \(model ?? "(default)")"
                )
            }
            let retry = invalidKeyRetry.seconds
            func isRejected(_ fingerprint: String) -> Bool {
                state.invalid[fingerprint].map { date.timeIntervalSince($0) < retry } ?? false
            }
            // Nothing rejected, resting or excluded (the usual case): every permitted key is usable.
            let allPermittedUsable = state.invalid.isEmpty && state.coolingUntil.isEmpty && excluded.isEmpty
            let usable =
                allPermittedUsable
                ? permitted
                : permitted.filter { key in
                    let fingerprint = key.fingerprint
                    return !isRejected(fingerprint) && !excluded.contains(fingerprint)
                        && (state.coolingUntil[fingerprint].map { $0 <= date } ?? true)
                }
            guard !usable.isEmpty else {
                let resting = permitted.compactMap { key -> Date? in
                    let fingerprint = key.fingerprint
                    guard !isRejected(fingerprint) else { return nil }
                    return state.coolingUntil[fingerprint]
                }.filter { $0 > date }
                if let earliest = resting.min() {
                    throw ProviderError(
                        kind: .rateLimited, provider: provider,
                        message: "every key of \(provider) the caller may use is rate limited",
                        retryAfter: .milliseconds(Int64((earliest.timeIntervalSince(date) * 1000).rounded(.up))))
                }
                throw ProviderError(
                    kind: .authentication, provider: provider,
                    message: "every key of \(provider) the caller may use has been rejected by the provider")
            }
            let chosen: ManagedKey
            switch strategy {
            case .failover:
                chosen = Self.primary(of: usable) ?? usable[0]
            case .roundRobin:
                chosen = usable[state.cursor % usable.count]
                state.cursor &+= 1
            case .weighted:
                var total = 0
                var best: ManagedKey?
                var bestWeight = Int.min
                for key in usable {
                    let weight = (state.currentWeights[key.fingerprint] ?? 0) + key.weight
                    state.currentWeights[key.fingerprint] = weight
                    total += key.weight
                    if weight > bestWeight {
                        bestWeight = weight
                        best = key
                    }
                }
                chosen = best ?? usable[0]
                state.currentWeights[chosen.fingerprint, default: 0] -= total
            }
            state.lastUsed[chosen.fingerprint] = date
            return (chosen, events)
        }
        events.forEach(emit)
        return choice
    }

    /// The primary key of `keys`: the one activated most recently; the first on a tie.
    static func primary(of keys: [ManagedKey]) -> ManagedKey? {
        var best: ManagedKey?
        for key in keys where best == nil || (key.activatesAt ?? .distantPast) > (best?.activatesAt ?? .distantPast) {
            best = key
        }
        return best
    }

    /// The provider rejected `key`: it is not chosen again until the keys are reloaded.
    public func markInvalid(_ key: ManagedKey, detail: String?) {
        let date = now()
        let retry = invalidKeyRetry.seconds
        let isNew = state.withLock { state -> Bool in
            let wasRejected = state.invalid[key.fingerprint].map { date.timeIntervalSince($0) < retry } ?? false
            state.invalid[key.fingerprint] = date
            return !wasRejected
        }
        guard isNew else { return }
        emit(
            KeyPoolEvent(
                kind: .invalidated, provider: provider, keyName: key.name, fingerprint: key.fingerprint, date: date,
                detail: detail))
    }

    /// The provider rate limited `key`: it rests until `until` (default: now + ``defaultCooldown``).
    public func coolDown(_ key: ManagedKey, until: Date? = nil, detail: String? = nil) {
        let date = now()
        let end = until ?? date.addingTimeInterval(defaultCooldown.seconds)
        state.withLock { $0.coolingUntil[key.fingerprint] = max(end, $0.coolingUntil[key.fingerprint] ?? end) }
        emit(
            KeyPoolEvent(
                kind: .rateLimited, provider: provider, keyName: key.name, fingerprint: key.fingerprint, date: date,
                until: end, detail: detail))
    }

    /// Replaces the keys. Keys still present keep their rest; rejected keys get another chance.
    public func replaceKeys(_ keys: [ManagedKey]) {
        let date = now()
        state.withLock { state in
            state.keys = keys
            state.invalid = [:]
            let kept = Set(keys.map(\.fingerprint))
            state.coolingUntil = state.coolingUntil.filter { kept.contains($0.key) }
            state.currentWeights = [:]
        }
        emit(KeyPoolEvent(kind: .reloaded, provider: provider, keyName: "*", fingerprint: "-", date: date))
    }

    /// Asks the reloader for fresh keys now; returns whether they changed.
    @discardableResult
    public func reload() throws -> Bool {
        guard let reloader else { return false }
        state.withLock { $0.lastReloadCheck = now() }
        guard let keys = try reloader() else { return false }
        replaceKeys(keys)
        return true
    }

    private func reloadIfDue() throws {
        guard reloader != nil else { return }
        let date = now()
        let due = state.withLock { state -> Bool in
            guard let last = state.lastReloadCheck, date.timeIntervalSince(last) < reloadInterval.seconds else {
                state.lastReloadCheck = date
                return true
            }
            return false
        }
        if due { try reload() }
    }

    private func emit(_ event: KeyPoolEvent) {
        continuation.yield(event)
        onEvent?(event)
    }

    private static func caller(_ metadata: RequestMetadata) -> String {
        var parts: [String] = []
        if let component = metadata.component { parts.append("component '\(component)'") }
        if let feature = metadata.feature { parts.append("feature '\(feature)'") }
        if let user = metadata.user { parts.append("user '\(user)'") }
        return parts.isEmpty ? "a caller that names no component" : parts.joined(separator: ", ")
    }
}
