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
        mapEvents(()) { _, event in
            if case .textDelta(let piece) = event { collector.append(piece) }
            return event
        }
    }
}
