/// The text of a streamed answer, piece by piece. The request is sent when iteration starts;
/// errors are thrown from the iteration.
public struct TextStream: AsyncSequence, Sendable {
    public typealias Element = String

    let open: @Sendable () async throws -> ChatEventStream

    public func makeAsyncIterator() -> Iterator { Iterator(open: open) }

    public struct Iterator: AsyncIteratorProtocol {
        let open: @Sendable () async throws -> ChatEventStream
        var events: ChatEventStream.Iterator?
        var done = false

        public mutating func next() async throws -> String? {
            guard !done else { return nil }
            if events == nil { events = try await open().makeAsyncIterator() }
            do {
                while let event = try await events?.next() {
                    if case .textDelta(let text) = event { return text }
                }
            } catch {
                done = true
                throw error
            }
            done = true
            return nil
        }
    }
}
