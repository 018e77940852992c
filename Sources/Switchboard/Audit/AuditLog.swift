import Foundation
import Logging
import Synchronization

/// Writes audit events to an ``AuditStore`` off the request path, in the order they were recorded.
///
/// ``record(_:)`` appends to an in-memory buffer and returns; one background task writes the
/// buffer in batches, so the chain's order is the order of the calls. ``flush()`` waits until
/// everything recorded is stored; ``shutdown()`` (called by ``LLMClient/shutdown()``) writes the rest.
public final class AuditLog: Sendable {
    private struct State {
        var pending: [AuditEvent] = []
        var writing = false
        var closed = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private final class Buffer: Sendable {
        let state = Mutex(State())
    }

    public let store: any AuditStore
    private let buffer = Buffer()
    private let wakeups: AsyncStream<Void>.Continuation
    private let drain: Task<Void, Never>
    private let logger: Logger

    public init(store: any AuditStore, logger: Logger) {
        self.store = store
        self.logger = logger
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        wakeups = continuation
        let writer = Writer(store: store, logger: logger)
        let buffer = self.buffer
        drain = Task {
            for await _ in stream { await writer.writePending(buffer) }
            await writer.writePending(buffer)
        }
    }

    deinit { wakeups.finish() }

    /// Buffers `event` for writing; returns at once.
    public func record(_ event: AuditEvent) {
        let accepted = buffer.state.withLock { state -> Bool in
            guard !state.closed else { return false }
            state.pending.append(event)
            return true
        }
        if accepted {
            wakeups.yield()
        } else {
            logger.error("audit log is shut down; event not recorded", metadata: ["action": "\(event.action)"])
        }
    }

    /// Returns once every event recorded before the call is in the store.
    public func flush() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = buffer.state.withLock { state -> Bool in
                guard !state.pending.isEmpty || state.writing else { return true }
                state.waiters.append(continuation)
                return false
            }
            if idle { continuation.resume() } else { wakeups.yield() }
        }
    }

    /// Writes what is buffered and stops; later events are refused.
    public func shutdown() async {
        buffer.state.withLock { $0.closed = true }
        wakeups.finish()
        await drain.value
    }

    private struct Writer: Sendable {
        let store: any AuditStore
        let logger: Logger

        func writePending(_ buffer: Buffer) async {
            while true {
                let (batch, waiters) = buffer.state.withLock {
                    state -> ([AuditEvent], [CheckedContinuation<Void, Never>]) in
                    guard !state.pending.isEmpty else {
                        state.writing = false
                        defer { state.waiters = [] }
                        return ([], state.waiters)
                    }
                    state.writing = true
                    let batch = Array(state.pending.prefix(500))
                    state.pending.removeFirst(batch.count)
                    return (batch, [])
                }
                guard !batch.isEmpty else {
                    for waiter in waiters { waiter.resume() }
                    return
                }
                do {
                    try await store.append(batch)
                } catch {
                    logger.error(
                        "audit log write failed; events lost",
                        metadata: ["events": "\(batch.count)", "error": "\(error)"])
                }
            }
        }
    }
}
