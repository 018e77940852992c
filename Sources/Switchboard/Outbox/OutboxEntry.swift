import Foundation

/// One deferred request in the outbox, with everything needed to send it later and, once done, its
/// answer or error.
public struct OutboxEntry: Hashable, Sendable, Identifiable {
    /// The entry's number; its ``ticket`` shows it as `#12`.
    public var id: Int64
    /// The request to send, as the caller gave it.
    public var request: ChatRequest
    /// From the request's metadata; higher priorities are sent first.
    public var priority: RequestPriority
    public var state: OutboxEntryState
    /// Sends started so far (a send in flight during a crash counts).
    public var attempts: Int
    /// When the entry was queued; among equal priorities, older entries are sent first.
    public var createdAt: Date
    /// When the entry last changed.
    public var updatedAt: Date
    /// A pending entry that failed is not sent again before this time.
    public var retryAt: Date?
    /// The answer, once `completed`.
    public var result: OutboxResult?
    /// The last send's failure: the reason of a `failed` entry, or of the last retry.
    public var lastError: OutboxFailure?

    public init(
        id: Int64, request: ChatRequest, priority: RequestPriority, state: OutboxEntryState = .pending,
        attempts: Int = 0, createdAt: Date, updatedAt: Date? = nil, retryAt: Date? = nil, result: OutboxResult? = nil,
        lastError: OutboxFailure? = nil
    ) {
        self.id = id
        self.request = request
        self.priority = priority
        self.state = state
        self.attempts = attempts
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.retryAt = retryAt
        self.result = result
        self.lastError = lastError
    }

    /// The caller's receipt for this entry.
    public var ticket: OutboxTicket { OutboxTicket(id) }

    /// The order entries are sent in: higher priority first, then older first, then by number.
    public static func sendsBefore(_ lhs: OutboxEntry, _ rhs: OutboxEntry) -> Bool {
        if lhs.priority != rhs.priority { return lhs.priority > rhs.priority }
        if lhs.createdAt != rhs.createdAt { return lhs.createdAt < rhs.createdAt }
        return lhs.id < rhs.id
    }
}
