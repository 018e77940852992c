extension ChatEventStream {
    /// The same stream with every event passed through `transform`, which may keep `state` across events.
    func mapEvents<State: Sendable>(
        _ state: State, _ transform: @escaping @Sendable (inout State, ChatEvent) -> ChatEvent
    ) -> ChatEventStream {
        ChatEventStream(MappedEventSequence(base: self, initial: state, transform: transform))
    }
}

private struct MappedEventSequence<State: Sendable>: AsyncSequence, Sendable {
    typealias Element = ChatEvent

    let base: ChatEventStream
    let initial: State
    let transform: @Sendable (inout State, ChatEvent) -> ChatEvent

    func makeAsyncIterator() -> Iterator {
        Iterator(base: base.makeAsyncIterator(), state: initial, transform: transform)
    }

    struct Iterator: AsyncIteratorProtocol {
        var base: ChatEventStream.Iterator
        var state: State
        let transform: @Sendable (inout State, ChatEvent) -> ChatEvent

        mutating func next() async throws -> ChatEvent? {
            guard let event = try await base.next() else { return nil }
            return transform(&state, event)
        }
    }
}
