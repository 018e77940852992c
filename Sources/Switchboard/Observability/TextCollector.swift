import Synchronization

/// Gathers the text of a stream as it passes, for a debug-mode request log entry.
final class TextCollector: Sendable {
    private let collected = Mutex("")

    var text: String { collected.withLock { $0 } }

    func append(_ piece: String) { collected.withLock { $0 += piece } }
}

extension ChatEventStream {
    /// The same events, with every text delta also appended to `collector`.
    func collectingText(into collector: TextCollector) -> ChatEventStream {
        ChatEventStream(TextCollectingSequence(base: self, collector: collector))
    }
}

private struct TextCollectingSequence: AsyncSequence, Sendable {
    typealias Element = ChatEvent

    let base: ChatEventStream
    let collector: TextCollector

    func makeAsyncIterator() -> Iterator { Iterator(base: base.makeAsyncIterator(), collector: collector) }

    struct Iterator: AsyncIteratorProtocol {
        var base: ChatEventStream.Iterator
        let collector: TextCollector

        mutating func next() async throws -> ChatEvent? {
            let event = try await base.next()
            if case .textDelta(let piece)? = event { collector.append(piece) }
            return event
        }
    }
}
