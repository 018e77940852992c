/// How an ``LLMClient`` behaves when external providers cannot be reached: when it counts as
/// offline, how it probes for the way back, the outbox of deferred requests, and whether cached
/// answers are served.
public struct OfflineConfiguration: Sendable {
    /// When providers count as unreachable, and the recovery probes' timeout and backoff.
    public var connectivity: ConnectivityPolicy
    /// Where deferred requests wait and how they are retried.
    public var outbox: OutboxConfiguration
    /// Serve a cached answer (from ``cacheLookup``) before failing with `offline` or queuing a request.
    public var servesCache: Bool
    /// The response cache consulted when offline; `nil` consults none.
    public var cacheLookup: (any OfflineCacheLookup)?
    /// The clock of probes and backoff.
    public var clock: PolicyClock
    /// The clock of the outbox's timestamps and retry times (they outlive the process).
    public var wallClock: WallClock

    public init(
        connectivity: ConnectivityPolicy = .init(),
        outbox: OutboxConfiguration = .init(),
        servesCache: Bool = true,
        cacheLookup: (any OfflineCacheLookup)? = nil,
        clock: PolicyClock = .continuous,
        wallClock: WallClock = .system
    ) {
        self.connectivity = connectivity
        self.outbox = outbox
        self.servesCache = servesCache
        self.cacheLookup = cacheLookup
        self.clock = clock
        self.wallClock = wallClock
    }
}
