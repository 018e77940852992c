import AsyncHTTPClient
import Foundation
import Logging
import NIOCore

/// Posts budget alerts as JSON to a URL, one at a time in the background, retrying failures
/// (network errors and non-2xx answers) with capped exponential backoff and jitter on the injected
/// ``PolicyClock``.
public final class WebhookNotifier: Sendable {
    public let url: String
    public let maxAttempts: Int
    public let initialBackoff: Duration
    public let maxBackoff: Duration
    private let queue: AsyncStream<JSONValue>.Continuation
    private let worker: Task<Void, Never>
    private let ownedTransport: HTTPTransport?

    /// Delivers to `url` over `transport` (or a transport of its own, closed by ``shutdown()``).
    public init(
        url: String, transport: HTTPTransport? = nil, clock: PolicyClock = .continuous, jitter: JitterSource = .system,
        maxAttempts: Int = 5, initialBackoff: Duration = .milliseconds(500), maxBackoff: Duration = .seconds(30),
        logger: Logger
    ) {
        self.url = url
        self.maxAttempts = max(maxAttempts, 1)
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        let owned = transport == nil ? HTTPTransport() : nil
        ownedTransport = owned
        let transport = transport ?? owned!
        let (stream, continuation) = AsyncStream<JSONValue>.makeStream()
        queue = continuation
        let attempts = self.maxAttempts
        worker = Task {
            for await body in stream {
                await Self.deliver(
                    body, url: url, transport: transport, clock: clock, jitter: jitter, maxAttempts: attempts,
                    initialBackoff: initialBackoff, maxBackoff: maxBackoff, logger: logger)
            }
        }
    }

    /// Queues `alert` for delivery; returns at once.
    public func send(_ alert: BudgetAlert) { queue.yield(alert.json) }

    /// Delivers what is queued (with its retries), then stops.
    public func shutdown() async {
        queue.finish()
        await worker.value
        try? await ownedTransport?.shutdown()
    }

    /// The wait before retry `attempt` (1-based): `initial × 2^(attempt−1)`, capped, with full jitter
    /// between half and all of it.
    public static func backoff(attempt: Int, initial: Duration, cap: Duration, jitter: JitterSource) -> Duration {
        var delay = initial
        for _ in 1..<max(attempt, 1) where delay < cap { delay = delay * 2 }
        delay = min(delay, cap)
        return delay * (0.5 + 0.5 * jitter.next())
    }

    private static func deliver(
        _ body: JSONValue, url: String, transport: HTTPTransport, clock: PolicyClock, jitter: JitterSource,
        maxAttempts: Int, initialBackoff: Duration, maxBackoff: Duration, logger: Logger
    ) async {
        for attempt in 1...maxAttempts {
            let request = ProviderRequest(
                url: url, method: .POST,
                headers: ["content-type": "application/json", "user-agent": "switchboard-budget-alerts"],
                body: ByteBuffer(string: body.jsonString()))
            var failure: String
            do {
                let response = try await transport.send(request, provider: "webhook", logger: logger)
                if (200..<300).contains(response.status) { return }
                failure = "HTTP \(response.status)"
            } catch {
                failure = "\(error)"
            }
            guard attempt < maxAttempts else {
                logger.error(
                    "budget alert webhook failed; giving up",
                    metadata: ["attempts": "\(attempt)", "error": "\(failure)"])
                return
            }
            let delay = backoff(attempt: attempt, initial: initialBackoff, cap: maxBackoff, jitter: jitter)
            logger.warning(
                "budget alert webhook failed; retrying",
                metadata: ["attempt": "\(attempt)", "error": "\(failure)", "retry_in": "\(delay)"])
            do { try await clock.sleep(for: delay) } catch { return }
        }
    }
}
