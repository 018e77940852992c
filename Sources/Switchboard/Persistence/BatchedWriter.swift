import Synchronization

/// Writes elements to a store off the request path, in the order they were submitted: ``submit(_:)``
/// appends to a bounded in-memory buffer and returns; one background task drains it in batches, one
/// `write` call per batch. The usage ledger and the audit log write through one each.
final class BatchedWriter<Element: Sendable>: Sendable {
    /// What ``submit(_:)`` did with the elements.
    struct Submission {
        /// How many were buffered; the rest were dropped because the buffer was full.
        var accepted: Int
        /// The writer was shut down; nothing was buffered.
        var closed: Bool
    }

    private struct State {
        var pending: [Element] = []
        var writing = false
        var closed = false
        var waiters: [CheckedContinuation<Void, Never>] = []
        var dropped = 0
    }

    private final class Buffer: Sendable {
        let state = Mutex(State())
    }

    /// The most elements held in memory waiting to be written.
    let capacity: Int
    /// The most elements written in one call.
    let batchSize: Int
    private let buffer = Buffer()
    private let wakeups: AsyncStream<Void>.Continuation
    private let drain: Task<Void, Never>

    /// - Parameters:
    ///   - write: stores one batch; a batch it throws for is lost and passed to `failed`.
    ///   - failed: told of each lost batch (its size and the error), to log it.
    init(
        capacity: Int, batchSize: Int, write: @escaping @Sendable ([Element]) async throws -> Void,
        failed: @escaping @Sendable (Int, any Error) -> Void
    ) {
        self.capacity = max(capacity, 1)
        self.batchSize = max(batchSize, 1)
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        wakeups = continuation
        let buffer = self.buffer
        let batchSize = self.batchSize
        drain = Task {
            for await _ in stream { await Self.writePending(buffer, batchSize: batchSize, write, failed) }
            await Self.writePending(buffer, batchSize: batchSize, write, failed)
        }
    }

    deinit { wakeups.finish() }

    /// Buffers as many of `elements` as there is room for; returns at once.
    @discardableResult
    func submit(_ elements: [Element]) -> Submission {
        guard !elements.isEmpty else { return Submission(accepted: 0, closed: false) }
        let submission = buffer.state.withLock { state -> Submission in
            guard !state.closed else { return Submission(accepted: 0, closed: true) }
            let accepted = min(max(capacity - state.pending.count, 0), elements.count)
            state.pending += elements.prefix(accepted)
            state.dropped += elements.count - accepted
            return Submission(accepted: accepted, closed: false)
        }
        if submission.accepted > 0 { wakeups.yield() }
        return submission
    }

    /// Elements dropped because the buffer was full.
    var dropped: Int { buffer.state.withLock { $0.dropped } }

    /// Returns once every element submitted before the call is written (or lost to a failed write).
    func flush() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = buffer.state.withLock { state -> Bool in
                guard !state.pending.isEmpty || state.writing else { return true }
                state.waiters.append(continuation)
                return false
            }
            if idle { continuation.resume() } else { wakeups.yield() }
        }
    }

    /// Writes what is buffered and stops the background task; later submissions are refused.
    func shutdown() async {
        buffer.state.withLock { $0.closed = true }
        wakeups.finish()
        await drain.value
    }

    private static func writePending(
        _ buffer: Buffer, batchSize: Int, _ write: @Sendable ([Element]) async throws -> Void,
        _ failed: @Sendable (Int, any Error) -> Void
    ) async {
        while true {
            let (batch, waiters) = buffer.state.withLock { state -> ([Element], [CheckedContinuation<Void, Never>]) in
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
                try await write(batch)
            } catch {
                failed(batch.count, error)
            }
        }
    }
}
