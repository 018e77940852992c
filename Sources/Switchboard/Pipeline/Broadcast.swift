import Synchronization

/// Hands every value to any number of `AsyncStream` listeners: health changes, connectivity changes,
/// outbox results. A listener leaves by cancelling its consuming task; all streams end when the
/// broadcast is released or ``finish()`` is called.
final class Broadcast<Element: Sendable>: Sendable {
    private struct Listeners {
        var continuations: [Int: AsyncStream<Element>.Continuation] = [:]
        var next = 0
    }

    private let listeners = Mutex(Listeners())
    private let bufferingPolicy: AsyncStream<Element>.Continuation.BufferingPolicy

    /// - Parameter bufferingPolicy: what each listener keeps while it does not read.
    init(bufferingPolicy: AsyncStream<Element>.Continuation.BufferingPolicy) {
        self.bufferingPolicy = bufferingPolicy
    }

    deinit { finish() }

    /// A stream of every value yielded from now on.
    func stream() -> AsyncStream<Element> {
        let (stream, continuation) = AsyncStream.makeStream(of: Element.self, bufferingPolicy: bufferingPolicy)
        let id = listeners.withLock { listeners in
            listeners.next += 1
            listeners.continuations[listeners.next] = continuation
            return listeners.next
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.listeners.withLock { $0.continuations.removeValue(forKey: id) }
        }
        return stream
    }

    /// Gives `value` to every listener. Callers that need one order across threads call it while
    /// holding their own lock (this one never takes theirs).
    func yield(_ value: Element) {
        listeners.withLock { listeners in
            for continuation in listeners.continuations.values { continuation.yield(value) }
        }
    }

    /// Ends every stream. The continuations are finished outside the lock: finishing runs their
    /// termination handlers, which take it.
    func finish() {
        let continuations = listeners.withLock { listeners in
            defer { listeners.continuations = [:] }
            return Array(listeners.continuations.values)
        }
        for continuation in continuations { continuation.finish() }
    }
}
