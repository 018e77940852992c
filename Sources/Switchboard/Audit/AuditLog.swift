import Logging

/// Writes audit events to an ``AuditStore`` off the request path, in the order they were recorded.
///
/// ``record(_:)`` appends to an in-memory buffer and returns; one background task writes the
/// buffer in batches, so the chain's order is the order of the calls. ``flush()`` waits until
/// everything recorded is stored; ``shutdown()`` (called by ``LLMClient/shutdown()``) writes the rest.
public final class AuditLog: Sendable {
    public let store: any AuditStore
    /// Never drops: an event missing from the chain would read as tampering.
    private let writer: BatchedWriter<AuditEvent>
    private let logger: Logger

    /// - Parameters:
    ///   - writeDelay: how long an event waits for others to share its transaction; ``flush()`` does not wait.
    ///   - clock: what `writeDelay` is measured on.
    public init(
        store: any AuditStore, writeDelay: Duration = .zero, clock: PolicyClock = .continuous, logger: Logger
    ) {
        self.store = store
        self.logger = logger
        writer = BatchedWriter(
            capacity: .max, batchSize: 500, delay: writeDelay, clock: clock, write: { try await store.append($0) },
            failed: { events, error in
                logger.error(
                    "audit log write failed; events lost", metadata: ["events": "\(events)", "error": "\(error)"])
            })
    }

    /// Buffers `event` for writing; returns at once.
    public func record(_ event: AuditEvent) {
        if writer.submit([event]).closed {
            logger.error("audit log is shut down; event not recorded", metadata: ["action": "\(event.action)"])
        }
    }

    /// Returns once every event recorded before the call is in the store.
    public func flush() async { await writer.flush() }

    /// Writes what is buffered and stops; later events are refused.
    public func shutdown() async { await writer.shutdown() }
}
