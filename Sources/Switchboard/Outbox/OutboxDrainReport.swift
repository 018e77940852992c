/// What one ``Outbox/drain(ignoringRetryTimes:)`` did.
public struct OutboxDrainReport: Hashable, Sendable {
    /// Entries found in flight — left so by a drainer that crashed — and made pending again. They may
    /// have reached the provider once already; they are sent again (see ``Outbox``).
    public var recovered: [OutboxTicket]
    /// Entries answered in this drain, in the order they were sent.
    public var completed: [OutboxEntry]
    /// Entries that failed and wait for another try (see ``OutboxEntry/retryAt``).
    public var retrying: [OutboxEntry]
    /// Entries that failed for good in this drain.
    public var failed: [OutboxEntry]
    /// The drain stopped because the connection was lost (or it never started, being offline).
    public var stoppedOffline: Bool
    /// Another drainer holds the drain lock; nothing was sent.
    public var busy: Bool
    /// Pending entries left after the drain.
    public var remaining: Int

    public init(
        recovered: [OutboxTicket] = [], completed: [OutboxEntry] = [], retrying: [OutboxEntry] = [],
        failed: [OutboxEntry] = [], stoppedOffline: Bool = false, busy: Bool = false, remaining: Int = 0
    ) {
        self.recovered = recovered
        self.completed = completed
        self.retrying = retrying
        self.failed = failed
        self.stoppedOffline = stoppedOffline
        self.busy = busy
        self.remaining = remaining
    }
}
