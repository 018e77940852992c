/// A provider's stream passed through unchanged except for its finish, which is marked as a cache
/// miss; just before the finish is handed on, the answer assembled from the events is stored (so a
/// caller that stops reading at the finish still leaves it in the cache). A stream that fails or is
/// abandoned stores nothing.
struct StoringEventSequence: AsyncSequence, Sendable {
    typealias Element = ChatEvent

    let base: ChatEventStream
    let store: @Sendable (ChatResponse) async -> Void

    func makeAsyncIterator() -> Iterator {
        Iterator(base: base.makeAsyncIterator(), store: store)
    }

    struct Iterator: AsyncIteratorProtocol {
        var base: ChatEventStream.Iterator
        let store: @Sendable (ChatResponse) async -> Void
        var accumulator = ChatResponseAccumulator()

        mutating func next() async throws -> ChatEvent? {
            guard let event = try await base.next() else { return nil }
            accumulator.add(event)
            guard case .finish(var finish) = event else { return event }
            if let response = try? accumulator.response() { await store(response) }
            finish.cache = CacheOutcome(kind: .miss)
            return .finish(finish)
        }
    }
}
