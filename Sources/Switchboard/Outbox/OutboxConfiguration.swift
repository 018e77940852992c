/// Where an ``Outbox`` keeps deferred requests and how it retries them.
public struct OutboxConfiguration: Sendable {
    /// Where entries are kept.
    public enum StoreKind: String, Hashable, Sendable, CaseIterable {
        /// In memory (``InMemoryOutboxStore``), lost at exit.
        case memory
        /// In the embedded SQLite database (``SQLiteOutboxStore``) at ``path``.
        case sqlite
    }

    /// `.memory` for a configuration built in code; `.sqlite` when loaded with
    /// ``SwitchboardConfiguration/load(environment:currentDirectory:)``.
    public var storeKind: StoreKind
    /// The SQLite file; `nil` means `<dataDirectory>/outbox.sqlite`.
    public var path: String?
    /// A store of your own; overrides ``storeKind``.
    public var store: (any OutboxStore)?
    /// Sends of one entry before it ends `failed`; at least 1.
    public var maxAttempts: Int
    /// The wait before an entry that failed is sent again; it doubles with each failure.
    public var initialRetryBackoff: Duration
    /// The longest wait between two sends of an entry.
    public var maxRetryBackoff: Duration

    /// - Parameters:
    ///   - maxAttempts: default 5.
    ///   - initialRetryBackoff: default 30 s.
    ///   - maxRetryBackoff: default 15 minutes.
    public init(
        storeKind: StoreKind = .memory, path: String? = nil, store: (any OutboxStore)? = nil, maxAttempts: Int = 5,
        initialRetryBackoff: Duration = .seconds(30), maxRetryBackoff: Duration = .seconds(900)
    ) {
        self.storeKind = storeKind
        self.path = path
        self.store = store
        self.maxAttempts = max(1, maxAttempts)
        self.initialRetryBackoff = max(.zero, initialRetryBackoff)
        self.maxRetryBackoff = max(self.initialRetryBackoff, maxRetryBackoff)
    }

    /// The wait after the `attempts`-th failed send: the initial backoff doubled per earlier failure, capped.
    func retryBackoff(afterAttempts attempts: Int) -> Duration {
        var backoff = initialRetryBackoff
        for _ in 1..<max(1, min(attempts, 40)) {
            backoff *= 2
            if backoff >= maxRetryBackoff { return maxRetryBackoff }
        }
        return min(backoff, maxRetryBackoff)
    }

    /// The store this configuration names (``store``, else SQLite at ``path`` or under `dataDirectory`,
    /// else in memory), for a client whose data lives in `dataDirectory`.
    public func makeStore(dataDirectory: String?) throws -> any OutboxStore {
        if let store { return store }
        switch storeKind {
        case .memory:
            return InMemoryOutboxStore()
        case .sqlite:
            guard let path = path ?? dataDirectory.map(SQLiteOutboxStore.path(dataDirectory:)) else {
                return InMemoryOutboxStore()
            }
            return try SQLiteOutboxStore(path: path)
        }
    }
}
