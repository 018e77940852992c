/// A streamed response: an `AsyncSequence` of ``ChatEvent``s that may throw ``ProviderError``.
///
/// Iterate it once. Cancelling the iterating task, or abandoning the iteration, cancels the
/// underlying HTTP request and closes its connection.
public struct ChatEventStream: AsyncSequence, Sendable {
    public typealias Element = ChatEvent
    public typealias Failure = any Error

    private let makeBaseIterator: @Sendable () -> any AsyncIteratorProtocol<ChatEvent, any Error>

    /// Wraps any sequence of events.
    public init<Base: AsyncSequence & Sendable>(_ base: Base) where Base.Element == ChatEvent {
        self.makeBaseIterator = { AnyEventIterator(base: base.makeAsyncIterator()) }
    }

    /// A stream that yields `events` and ends.
    public init(events: [ChatEvent]) {
        self.init(EventArraySequence(events: events))
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(base: makeBaseIterator())
    }

    /// Reads the next event.
    public struct Iterator: AsyncIteratorProtocol {
        var base: any AsyncIteratorProtocol<ChatEvent, any Error>

        public mutating func next() async throws -> ChatEvent? {
            try await base.next(isolation: nil)
        }
    }

    /// Collects every event into one response. `latency` is measured by the caller.
    public func collect() async throws -> ChatResponse {
        var accumulator = ChatResponseAccumulator()
        for try await event in self { accumulator.add(event) }
        return try accumulator.response()
    }
}

private struct AnyEventIterator<Base: AsyncIteratorProtocol>: AsyncIteratorProtocol where Base.Element == ChatEvent {
    var base: Base

    mutating func next() async throws -> ChatEvent? {
        try await base.next()
    }
}

private struct EventArraySequence: AsyncSequence, Sendable {
    let events: [ChatEvent]

    func makeAsyncIterator() -> Iterator { Iterator(events: events[...]) }

    struct Iterator: AsyncIteratorProtocol {
        var events: ArraySlice<ChatEvent>
        mutating func next() async throws -> ChatEvent? { events.popFirst() }
    }
}
