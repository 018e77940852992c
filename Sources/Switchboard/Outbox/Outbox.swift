import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// Deferred requests: kept in an ``OutboxStore`` while Switchboard is offline, sent when the
/// connection returns, their answers stored and published.
///
/// A drain sends the pending entries one at a time, highest priority first and oldest first within a
/// priority, through the client's whole pipeline — so rate limits, budgets, routing and retries apply
/// as to any request. Each send is bracketed by two atomic steps: the entry is marked in flight
/// (counting the attempt) before it is sent, and completed with its answer after. Completion only
/// takes an entry still in flight with that attempt, so an entry succeeds at most once.
///
/// **After a crash.** Only one drainer works at a time (``OutboxStore/lockForDraining()``; for SQLite
/// an `flock` the system releases when the holder dies), so an entry found in flight by the next
/// drain was left by a drainer that is gone. Completed entries are never sent again. An entry that was
/// in flight is sent again: the crash may have come before the provider received it, while it was
/// answering, or after it answered but before the answer was stored. In the first two cases the
/// provider completes it once, in the second send; in the last — a window of one database write —
/// the provider has answered twice. The providers Switchboard speaks to have no idempotency key for
/// chat requests that would let them drop the second one, so this window cannot be closed from here;
/// it is logged as a warning with the entries concerned.
///
/// **Failures.** A lost connection puts the entry back untouched (the attempt does not count) and
/// stops the drain; a provider that cannot be reached, or a budget that is spent, puts it back to
/// retry later without counting; a failure that sending again cannot fix (invalid request, context
/// too long, rejected key, …) fails it at once; any other failure retries it after a backoff that
/// doubles, and fails it after ``OutboxConfiguration/maxAttempts`` sends.
///
/// `Outbox` is a swift-service-lifecycle `Service`: ``run()`` drains whenever the connection returns
/// and when retries come due.
public final class Outbox: Sendable {
    /// Where the entries are kept.
    public let store: any OutboxStore
    public let configuration: OutboxConfiguration
    let connectivity: ConnectivityMonitor
    private let send: @Sendable (ChatRequest) async throws -> ChatResponse
    private let clock: PolicyClock
    private let wallClock: WallClock
    private let logger: Logger
    private let doorbell = Doorbell()
    private let broadcast = Broadcast<OutboxEntry>(bufferingPolicy: .unbounded)

    /// An outbox on `store` that sends with `send` (the client's pipeline) and drains when
    /// `connectivity` is not offline.
    public init(
        store: any OutboxStore,
        configuration: OutboxConfiguration = .init(),
        connectivity: ConnectivityMonitor,
        clock: PolicyClock = .continuous,
        wallClock: WallClock = .system,
        logger: Logger,
        send: @escaping @Sendable (ChatRequest) async throws -> ChatResponse
    ) {
        self.store = store
        self.configuration = configuration
        self.connectivity = connectivity
        self.clock = clock
        self.wallClock = wallClock
        self.logger = logger
        self.send = send
    }

    // MARK: Entries

    /// Queues `request` to be sent when the connection returns and returns its ticket at once.
    public func enqueue(_ request: ChatRequest) async throws -> OutboxTicket {
        let entry = try await store.insert(request, priority: request.metadata.priority, at: wallClock.now)
        Self.count("queued")
        logger.info("request queued in the outbox", metadata: ["ticket": "\(entry.ticket)"])
        doorbell.ring()
        return entry.ticket
    }

    /// Every entry, by ticket.
    public func entries() async throws -> [OutboxEntry] {
        try await store.entries()
    }

    /// The entry of `ticket`, or `nil` when there is none (any more).
    public func entry(_ ticket: OutboxTicket) async throws -> OutboxEntry? {
        try await store.entry(id: ticket.id)
    }

    /// Deletes the entry of `ticket`, whatever its state, unless it is being sent.
    public func remove(_ ticket: OutboxTicket) async throws -> OutboxRemoval {
        try await store.remove(id: ticket.id)
    }

    /// Every entry that completes or fails from now on, as it is stored. The stream ends when the
    /// outbox is released; stop listening by cancelling the consuming task.
    public func results() -> AsyncStream<OutboxEntry> { broadcast.stream() }

    // MARK: Draining

    /// Sends the pending entries whose retry time has come (all of them with `ignoringRetryTimes`), in
    /// priority-then-age order, each at most once per drain; stops when the connection is lost.
    ///
    /// Does nothing while offline, and nothing (``OutboxDrainReport/busy``) while another drainer holds
    /// the drain lock. Entries left in flight by a crashed drainer are made pending first and sent again.
    public func drain(ignoringRetryTimes: Bool = false) async throws -> OutboxDrainReport {
        guard let lock = try await store.lockForDraining() else {
            return OutboxDrainReport(busy: true, remaining: try await pendingCount())
        }
        do {
            let report = try await drainHoldingLock(ignoringRetryTimes: ignoringRetryTimes)
            await lock.release()
            return report
        } catch {
            await lock.release()
            throw error
        }
    }

    /// Drains whenever the connection is back (not offline) and whenever a retry comes due, until the
    /// task is cancelled or a graceful shutdown begins.
    public func run() async throws {
        await cancelWhenGracefulShutdown { [self] in
            await withTaskGroup(of: Void.self) { group in
                group.addTask { [connectivity, doorbell] in
                    for await change in connectivity.modeChanges() where change.to != .offline {
                        doorbell.ring()
                    }
                }
                group.addTask { [self] in
                    while !Task.isCancelled {
                        let delay = await drainIfOnline()
                        await doorbell.wait(atMost: delay, clock: clock)
                    }
                }
                await group.next()
                group.cancelAll()
            }
        }
    }

    // MARK: Internals

    /// One drain unless offline; returns how long to wait before the next one (`nil`: until woken).
    private func drainIfOnline() async -> Duration? {
        guard connectivity.mode != .offline else { return nil }
        do {
            let report = try await drain()
            if report.busy { return configuration.initialRetryBackoff }
            return try await nextRetryDelay()
        } catch is CancellationError {
            return nil
        } catch {
            logger.error("draining the outbox failed", metadata: ["error": "\(error)"])
            return configuration.initialRetryBackoff
        }
    }

    /// The time until the earliest pending retry; `nil` when no pending entry waits for one.
    private func nextRetryDelay() async throws -> Duration? {
        let now = wallClock.now
        let next = try await store.entries().filter { $0.state == .pending }.compactMap(\.retryAt).min()
        return next.map { .milliseconds(max(0, Int64(($0.timeIntervalSince(now) * 1000).rounded(.up)))) }
    }

    private func pendingCount() async throws -> Int {
        try await store.entries().count { $0.state == .pending }
    }

    private func drainHoldingLock(ignoringRetryTimes: Bool) async throws -> OutboxDrainReport {
        var report = OutboxDrainReport()
        let recovered = try await store.recoverInFlight(at: wallClock.now)
        if !recovered.isEmpty {
            report.recovered = recovered.map(OutboxTicket.init)
            Self.count("recovered", by: recovered.count)
            logger.warning(
                "outbox entries were in flight when their drainer stopped; sending them again (the provider may have answered them once already)",
                metadata: ["tickets": "\(report.recovered.map(\.description).joined(separator: ", "))"])
        }
        let now = wallClock.now
        let queue = try await store.entries().filter { entry in
            entry.state == .pending && (ignoringRetryTimes || (entry.retryAt.map { $0 <= now } ?? true))
        }.sorted(by: OutboxEntry.sendsBefore)
        for candidate in queue {
            try Task.checkCancellation()
            guard connectivity.mode != .offline else {
                report.stoppedOffline = true
                break
            }
            guard let entry = try await store.markInFlight(id: candidate.id, at: wallClock.now) else { continue }
            let outcome = try await sendInFlight(entry)
            switch outcome {
            case .completed(let done):
                report.completed.append(done)
            case .retrying(let waiting):
                report.retrying.append(waiting)
            case .failed(let done):
                report.failed.append(done)
            case .stoppedOffline:
                report.stoppedOffline = true
            case .lostFence:
                break
            }
            if report.stoppedOffline { break }
        }
        report.remaining = try await pendingCount()
        return report
    }

    private enum SendOutcome {
        case completed(OutboxEntry)
        case retrying(OutboxEntry)
        case failed(OutboxEntry)
        case stoppedOffline
        /// The entry was no longer in flight with this attempt when the send ended.
        case lostFence
    }

    /// Sends one in-flight entry and stores what came of it.
    private func sendInFlight(_ entry: OutboxEntry) async throws -> SendOutcome {
        var metadata: Logger.Metadata = ["ticket": "\(entry.ticket)", "attempt": "\(entry.attempts)"]
        let response: ChatResponse
        do {
            response = try await send(entry.request)
        } catch {
            metadata["error"] = "\(error)"
            return try await storeFailure(error, of: entry, metadata: metadata)
        }
        let result = OutboxResult(response, completedAt: wallClock.now)
        guard
            try await store.markCompleted(id: entry.id, attempt: entry.attempts, result: result, at: result.completedAt)
        else {
            logger.warning(
                "outbox entry was no longer in flight when its answer came; answer dropped", metadata: metadata)
            return .lostFence
        }
        var done = entry
        done.state = .completed
        done.result = result
        done.retryAt = nil
        done.updatedAt = result.completedAt
        Self.count("completed")
        logger.info("outbox entry completed", metadata: metadata)
        publish(done)
        return .completed(done)
    }

    private func storeFailure(
        _ error: any Error, of entry: OutboxEntry, metadata: Logger.Metadata
    ) async throws -> SendOutcome {
        let failure = OutboxFailure(error)
        let kind = (error as? ProviderError)?.kind
        let now = wallClock.now
        func putBack(retryAt: Date?, counting: Bool) async throws -> Bool {
            try await store.markPending(
                id: entry.id, attempt: entry.attempts, error: failure, retryAt: retryAt, refundingAttempt: !counting,
                at: now)
        }
        if error is CancellationError || kind == .cancelled {
            _ = try await putBack(retryAt: nil, counting: false)
            throw CancellationError()
        }
        if kind == .offline || connectivity.mode == .offline {
            logger.info("connection lost while draining the outbox; the rest waits", metadata: metadata)
            _ = try await putBack(retryAt: nil, counting: false)
            return .stoppedOffline
        }
        if kind == .network || kind == .budgetExceeded {
            let wait = kind == .budgetExceeded ? configuration.maxRetryBackoff : configuration.initialRetryBackoff
            let retryAt = now.addingTimeInterval(wait.seconds)
            guard try await putBack(retryAt: retryAt, counting: false) else { return .lostFence }
            logger.info("outbox entry could not be sent now; it waits", metadata: metadata)
            var waiting = entry
            waiting.state = .pending
            waiting.attempts -= 1
            waiting.retryAt = retryAt
            waiting.lastError = failure
            return .retrying(waiting)
        }
        let permanent = kind.map(Self.permanentKinds.contains) ?? false
        if permanent || entry.attempts >= configuration.maxAttempts {
            guard try await store.markFailed(id: entry.id, attempt: entry.attempts, error: failure, at: now) else {
                return .lostFence
            }
            var done = entry
            done.state = .failed
            done.lastError = failure
            done.retryAt = nil
            done.updatedAt = now
            Self.count("failed")
            logger.warning("outbox entry failed", metadata: metadata)
            publish(done)
            return .failed(done)
        }
        let retryAt = now.addingTimeInterval(configuration.retryBackoff(afterAttempts: entry.attempts).seconds)
        guard try await putBack(retryAt: retryAt, counting: true) else { return .lostFence }
        Self.count("retried")
        logger.info("outbox entry failed; it will be tried again", metadata: metadata)
        var waiting = entry
        waiting.state = .pending
        waiting.retryAt = retryAt
        waiting.lastError = failure
        return .retrying(waiting)
    }

    /// Failures sending again cannot fix.
    private static let permanentKinds: Set<ProviderError.Kind> = [
        .invalidRequest, .contextTooLong, .contentFiltered, .requestTooLarge, .notFound, .authentication,
        .permissionDenied, .notConfigured,
    ]

    private func publish(_ entry: OutboxEntry) {
        broadcast.yield(entry)
    }

    private static func count(_ event: String, by amount: Int = 1) {
        Counter(label: "switchboard.outbox.entries", dimensions: [("event", event)]).increment(by: amount)
    }
}
