import Synchronization

/// The events of a limited stream; the stream's permit is held until it ends, fails or is dropped.
///
/// The `started` event's rate-limit headers are learned as soon as it passes; the last `usage`
/// event corrects the token reservation when the permit is released.
struct PermitHoldingEventSequence: AsyncSequence, Sendable {
    typealias Element = ChatEvent

    let base: ChatEventStream
    let lease: PermitLease

    func makeAsyncIterator() -> Iterator { Iterator(base: base.makeAsyncIterator(), lease: lease) }

    struct Iterator: AsyncIteratorProtocol {
        var base: ChatEventStream.Iterator
        let lease: PermitLease

        mutating func next() async throws -> ChatEvent? {
            let event: ChatEvent?
            do {
                event = try await base.next()
            } catch {
                await lease.end(error: error)
                throw error
            }
            switch event {
            case nil: await lease.end(error: nil)
            case .started(let start): if let rateLimit = start.rateLimit { await lease.outcome.learn(rateLimit) }
            case .usage(let usage): lease.record(usage)
            default: break
            }
            return event
        }
    }
}

/// Owns a stream's permit: released once, at the stream's end, or when the last copy of the stream
/// and its iterator is gone (the consumer stopped reading or never started).
final class PermitLease: Sendable {
    let outcome: RateLimitOutcome
    private let state = Mutex<(usage: Usage?, released: Bool)>((nil, false))

    init(outcome: RateLimitOutcome) {
        self.outcome = outcome
    }

    func record(_ usage: Usage) {
        state.withLock { $0.usage = usage }
    }

    func end(error: (any Error)?) async {
        guard let usage = take() else { return }
        if let error {
            await outcome.failed(error, usage: usage)
        } else {
            await outcome.ended(usage: usage)
        }
    }

    /// The last usage seen, if the permit is still held (`.some(nil)`: held, no usage seen); marks it released.
    private func take() -> Usage?? {
        state.withLock { state in
            guard !state.released else { return nil }
            state.released = true
            return .some(state.usage)
        }
    }

    deinit {
        guard let usage = take() else { return }
        let outcome = outcome
        Task { await outcome.ended(usage: usage) }
    }
}
