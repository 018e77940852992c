import Logging
import Synchronization

/// Writes ledger rows to a ``UsageStore`` off the request path: ``submit(_:)`` only appends to a
/// bounded in-memory buffer; one background task drains it in batches, one store transaction per
/// batch, so no request waits for a disk sync. ``shutdown()`` (called by ``LLMClient/shutdown()``)
/// writes every buffered row before it returns.
///
/// When the buffer is full (the store is far behind), new rows are dropped and counted in
/// ``droppedRecords`` with an error log line, so memory stays bounded.
public final class UsageLedger: Sendable {
    private final class Buffer: Sendable {
        let state = Mutex(State())
    }

    private struct State {
        var pending: [UsageRecord] = []
        var writing = false
        var closed = false
        var waiters: [CheckedContinuation<Void, Never>] = []
        var dropped = 0
    }

    /// Where the rows go.
    public let store: any UsageStore
    /// The most rows held in memory waiting to be written.
    public let capacity: Int
    /// The most rows written in one transaction.
    public let batchSize: Int
    private let buffer = Buffer()
    private let wakeups: AsyncStream<Void>.Continuation
    private let drain: Task<Void, Never>
    private let logger: Logger

    public init(store: any UsageStore, capacity: Int = 10_000, batchSize: Int = 500, logger: Logger) {
        self.store = store
        self.capacity = max(capacity, 1)
        self.batchSize = max(batchSize, 1)
        self.logger = logger
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        wakeups = continuation
        let buffer = self.buffer
        let batchSize = self.batchSize
        drain = Task {
            for await _ in stream {
                await Self.writePending(buffer: buffer, store: store, batchSize: batchSize, logger: logger)
            }
            await Self.writePending(buffer: buffer, store: store, batchSize: batchSize, logger: logger)
        }
    }

    deinit {
        wakeups.finish()
    }

    /// Buffers rows for writing; returns at once.
    public func submit(_ records: [UsageRecord]) {
        guard !records.isEmpty else { return }
        let (accepted, closed) = buffer.state.withLock { state -> (Int, Bool) in
            guard !state.closed else { return (0, true) }
            let room = max(capacity - state.pending.count, 0)
            let accepted = min(room, records.count)
            state.pending += records.prefix(accepted)
            state.dropped += records.count - accepted
            return (accepted, false)
        }
        if closed {
            logger.error("usage ledger is shut down; rows not recorded", metadata: ["rows": "\(records.count)"])
        } else if accepted < records.count {
            logger.error(
                "usage ledger buffer full; rows dropped", metadata: ["dropped": "\(records.count - accepted)"])
        }
        if accepted > 0 { wakeups.yield() }
    }

    /// Rows dropped because the buffer was full.
    public var droppedRecords: Int { buffer.state.withLock { $0.dropped } }

    /// Returns once every row submitted before the call is in the store.
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

    /// Writes what is buffered and stops the background task; later rows are refused.
    public func shutdown() async {
        buffer.state.withLock { $0.closed = true }
        wakeups.finish()
        await drain.value
    }

    private static func writePending(
        buffer: Buffer, store: any UsageStore, batchSize: Int, logger: Logger
    ) async {
        while true {
            let (batch, waiters) = buffer.state.withLock {
                state -> ([UsageRecord], [CheckedContinuation<Void, Never>]) in
                guard !state.pending.isEmpty else {
                    state.writing = false
                    defer { state.waiters = [] }
                    return ([], state.waiters)
                }
                state.writing = true
                let batch = Array(state.pending.prefix(batchSize))
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
                    "usage ledger write failed; rows lost", metadata: ["rows": "\(batch.count)", "error": "\(error)"])
            }
        }
    }
}
