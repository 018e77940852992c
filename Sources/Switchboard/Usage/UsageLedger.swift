import Logging

/// Writes ledger rows to a ``UsageStore`` off the request path: ``submit(_:)`` only appends to a
/// bounded in-memory buffer; one background task drains it in batches, one store transaction per
/// batch, so no request waits for a disk sync. ``shutdown()`` (called by ``LLMClient/shutdown()``)
/// writes every buffered row before it returns.
///
/// When the buffer is full (the store is far behind), new rows are dropped and counted in
/// ``droppedRecords`` with an error log line, so memory stays bounded.
public final class UsageLedger: Sendable {
    /// Where the rows go.
    public let store: any UsageStore
    /// The most rows held in memory waiting to be written.
    public var capacity: Int { writer.capacity }
    /// The most rows written in one transaction.
    public var batchSize: Int { writer.batchSize }
    private let writer: BatchedWriter<UsageRecord>
    private let logger: Logger

    /// - Parameters:
    ///   - writeDelay: how long a row waits for others to share its transaction; ``flush()`` does not wait.
    ///   - clock: what `writeDelay` is measured on.
    public init(
        store: any UsageStore, capacity: Int = 10_000, batchSize: Int = 500, writeDelay: Duration = .zero,
        clock: PolicyClock = .continuous, logger: Logger
    ) {
        self.store = store
        self.logger = logger
        writer = BatchedWriter(
            capacity: capacity, batchSize: batchSize, delay: writeDelay, clock: clock,
            write: { try await store.append($0) },
            failed: { rows, error in
                logger.error(
                    "usage ledger write failed; rows lost", metadata: ["rows": "\(rows)", "error": "\(error)"])
            })
    }

    /// Buffers rows for writing; returns at once.
    public func submit(_ records: [UsageRecord]) {
        let submission = writer.submit(records)
        if submission.closed {
            logger.error("usage ledger is shut down; rows not recorded", metadata: ["rows": "\(records.count)"])
        } else if submission.accepted < records.count {
            logger.error(
                "usage ledger buffer full; rows dropped",
                metadata: ["dropped": "\(records.count - submission.accepted)"])
        }
    }

    /// Rows dropped because the buffer was full.
    public var droppedRecords: Int { writer.dropped }

    /// Returns once every row submitted before the call is in the store.
    public func flush() async { await writer.flush() }

    /// Writes what is buffered and stops the background task; later rows are refused.
    public func shutdown() async { await writer.shutdown() }
}
