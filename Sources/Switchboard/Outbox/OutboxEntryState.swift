/// Where an outbox entry is in its life: `pending` → `inFlight` → `completed`, or back to `pending`
/// to retry, or `failed` after the last try.
public enum OutboxEntryState: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Waiting to be sent (again, after ``OutboxEntry/retryAt`` when set).
    case pending
    /// Being sent now. After a crash it is made `pending` again by the next drain.
    case inFlight = "in_flight"
    /// Answered; the result is stored. Never sent again.
    case completed
    /// Every try failed, or the failure was one sending again cannot fix; the error is stored.
    case failed

    public var description: String { rawValue }

    /// Whether the entry is done: completed or failed.
    public var isFinal: Bool { self == .completed || self == .failed }
}
