import Synchronization

/// Writes elements to a store off the request path, in the order they were submitted: ``submit(_:)``
/// appends to a bounded in-memory buffer and returns; one background task drains it in batches, one
/// `write` call per batch. The usage ledger and the audit log write through one each.
///
/// With a `delay`, the task waits that long after the first element of a batch arrives, so that a
/// steady trickle (one request at a time) is written as one transaction per delay instead of one per
/// element; a full batch, ``flush()`` and ``shutdown()`` cut the wait short.
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
        /// The wait for more elements in progress, cancelled to write at once.
        var delaying: Task<Void, Never>?
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
    ///   - delay: how long a batch waits for more elements before it is written.
    ///   - clock: what `delay` is measured on.
    ///   - write: stores one batch; a batch it throws for is lost and passed to `failed`.
    ///   - failed: told of each lost batch (its size and the error), to log it.
    init(
        capacity: Int, batchSize: Int, delay: Duration = .zero, clock: PolicyClock = .continuous,
        write: @escaping @Sendable ([Element]) async throws -> Void,
        failed: @escaping @Sendable (Int, any Error) -> Void
    ) {
        self.capacity = max(capacity, 1)
        self.batchSize = max(batchSize, 1)
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        wakeups = continuation
        let buffer = self.buffer
        let batchSize = self.batchSize
        drain = Task {
            for await _ in stream {
                if delay > .zero { await Self.wait(delay, on: clock, forMoreIn: buffer, batchSize: batchSize) }
                await Self.writePending(buffer, batchSize: batchSize, write, failed)
            }
            await Self.writePending(buffer, batchSize: batchSize, write, failed)
        }
    }

    deinit { wakeups.finish() }

    /// Buffers as many of `elements` as there is room for; returns at once.
    @discardableResult
    func submit(_ elements: [Element]) -> Submission {
        guard !elements.isEmpty else { return Submission(accepted: 0, closed: false) }
        let (submission, delaying) = buffer.state.withLock { state -> (Submission, Task<Void, Never>?) in
            guard !state.closed else { return (Submission(accepted: 0, closed: true), nil) }
            let accepted = min(max(capacity - state.pending.count, 0), elements.count)
            state.pending += elements.prefix(accepted)
            state.dropped += elements.count - accepted
            let full = state.pending.count >= batchSize
            return (Submission(accepted: accepted, closed: false), full ? state.delaying.take() : nil)
        }
        delaying?.cancel()
        if submission.accepted > 0 { wakeups.yield() }
        return submission
    }

    /// Elements dropped because the buffer was full.
    var dropped: Int { buffer.state.withLock { $0.dropped } }

    /// Returns once every element submitted before the call is written (or lost to a failed write).
    func flush() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let (idle, delaying) = buffer.state.withLock { state -> (Bool, Task<Void, Never>?) in
                guard !state.pending.isEmpty || state.writing else { return (true, nil) }
                state.waiters.append(continuation)
                return (false, state.delaying.take())
            }
            delaying?.cancel()
            if idle { continuation.resume() } else { wakeups.yield() }
        }
    }

    /// Writes what is buffered and stops the background task; later submissions are refused.
    func shutdown() async {
        let delaying = buffer.state.withLock { state in
            state.closed = true
            return state.delaying.take()
        }
        delaying?.cancel()
        wakeups.finish()
        await drain.value
    }

    /// Waits up to `delay` for more elements, unless there is nothing to write or a reason to write now.
    private static func wait(_ delay: Duration, on clock: PolicyClock, forMoreIn buffer: Buffer, batchSize: Int) async {
        let sleeper = Task { _ = try? await clock.sleep(for: delay) }
        let now = buffer.state.withLock { state -> Bool in
            let urgent = state.closed || !state.waiters.isEmpty || state.pending.count >= batchSize
            guard !urgent, !state.pending.isEmpty else { return true }
            state.delaying = sleeper
            return false
        }
        if now { sleeper.cancel() }
        await sleeper.value
        buffer.state.withLock { $0.delaying = nil }
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
