/// What ``LLMClient/submit(_:)`` did with a request: answered it, or queued it for later.
public enum Submission: Hashable, Sendable {
    /// A provider (perhaps a local one, perhaps the cache) answered now.
    case answered(ChatResponse)
    /// Offline, and the request needs an external provider: it waits in the outbox. Follow it with
    /// ``Outbox/entry(_:)`` or ``Outbox/results()``.
    case queued(OutboxTicket)

    /// The answer, when there is one now.
    public var response: ChatResponse? {
        if case .answered(let response) = self { return response }
        return nil
    }

    /// The ticket, when the request was queued.
    public var ticket: OutboxTicket? {
        if case .queued(let ticket) = self { return ticket }
        return nil
    }
}
