import Switchboard

/// Carries a stream's iterator from the request handler, which reads the first event, to the response
/// body, which reads the rest.
///
/// `@unchecked Sendable` is safe: the handler stops using the box before it returns the response, and
/// Hummingbird runs the response body only after that, in one task, so the iterator is never used by two
/// tasks at once.
final class EventIteratorBox: @unchecked Sendable {
    var iterator: ChatEventStream.Iterator?
    /// Events read ahead by the handler, delivered first.
    var pending: [ChatEvent]

    init(iterator: ChatEventStream.Iterator, pending: [ChatEvent]) {
        self.iterator = iterator
        self.pending = pending
    }

    func next() async throws -> ChatEvent? {
        if !pending.isEmpty { return pending.removeFirst() }
        return try await iterator?.next()
    }
}
