import Synchronization

/// How a stream ended, as seen by a stage that observed it.
public struct StreamOutcome: Sendable {
    public var start: StreamStart?
    /// The last usage the provider reported, even when the stream broke.
    public var usage: Usage?
    public var finish: StreamFinish?
    /// From the request entering the stage to the first text or tool-call event.
    public var timeToFirstToken: Duration?
    /// From the request entering the stage to the end of the stream.
    public var duration: Duration
    /// The error the stream ended with, if it did not finish.
    public var error: (any Error)?
    /// The consumer stopped reading before the end.
    public var abandoned: Bool
}

extension ChatEventStream {
    /// A stream that yields the same events and calls `onEnd` exactly once: when it finishes,
    /// fails, or its consumer stops reading.
    public func observed(
        startedAt: ContinuousClock.Instant,
        onEnd: @escaping @Sendable (StreamOutcome) -> Void
    ) -> ChatEventStream {
        ChatEventStream(ObservedEventSequence(base: self, startedAt: startedAt, onEnd: onEnd))
    }
}

private struct ObservedEventSequence: AsyncSequence, Sendable {
    let base: ChatEventStream
    let startedAt: ContinuousClock.Instant
    let onEnd: @Sendable (StreamOutcome) -> Void

    func makeAsyncIterator() -> Iterator {
        Iterator(base: base.makeAsyncIterator(), tracker: Tracker(startedAt: startedAt, onEnd: onEnd))
    }

    struct Iterator: AsyncIteratorProtocol {
        var base: ChatEventStream.Iterator
        let tracker: Tracker

        mutating func next() async throws -> ChatEvent? {
            do {
                guard let event = try await base.next() else {
                    tracker.end(error: nil)
                    return nil
                }
                tracker.record(event)
                return event
            } catch {
                tracker.end(error: error)
                throw error
            }
        }
    }

    /// Reports once; its deinit reports a stream its consumer abandoned.
    final class Tracker: Sendable {
        private struct State {
            var outcome: StreamOutcome
            var reported = false
        }

        private let state: Mutex<State>
        private let startedAt: ContinuousClock.Instant
        private let onEnd: @Sendable (StreamOutcome) -> Void

        init(startedAt: ContinuousClock.Instant, onEnd: @escaping @Sendable (StreamOutcome) -> Void) {
            self.startedAt = startedAt
            self.onEnd = onEnd
            self.state = Mutex(State(outcome: StreamOutcome(duration: .zero, abandoned: false)))
        }

        func record(_ event: ChatEvent) {
            state.withLock { state in
                switch event {
                case .started(let start): state.outcome.start = start
                case .textDelta, .toolCallDelta:
                    if state.outcome.timeToFirstToken == nil {
                        state.outcome.timeToFirstToken = ContinuousClock.now - startedAt
                    }
                case .usage(let usage): state.outcome.usage = usage
                case .finish(let finish): state.outcome.finish = finish
                }
            }
        }

        func end(error: (any Error)?, abandoned: Bool = false) {
            let outcome: StreamOutcome? = state.withLock { state in
                guard !state.reported else { return nil }
                state.reported = true
                state.outcome.error = error
                state.outcome.abandoned = abandoned
                state.outcome.duration = ContinuousClock.now - startedAt
                return state.outcome
            }
            if let outcome { onEnd(outcome) }
        }

        deinit {
            end(error: nil, abandoned: true)
        }
    }
}
