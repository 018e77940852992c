import Switchboard
import Synchronization

/// Holds each virtual key to its own requests and tokens per minute (`gateway.rpm`, `gateway.tpm` in
/// the request's tags, put there from the key): a request over its key's limit is refused at once with
/// 429 and the time until the key has room again — a gateway caller retries, it is not queued.
///
/// Tokens are reserved at the request's worst case (input estimate plus its output cap) and corrected
/// to the reported usage when a whole answer returns; a stream keeps its worst case.
final class VirtualKeyLimits: Sendable {
    private struct Entry {
        var limits: RateLimits
        var limiter: RateLimiter
    }

    private static let resource = ProviderID("gateway-key")
    private let entries = Mutex<[String: Entry]>([:])
    private let clock: PolicyClock

    init(clock: PolicyClock = .continuous) {
        self.clock = clock
    }

    /// Takes `chat`'s share of its key's limits, or throws a 429 ``GatewayError``; `nil` when the key has none.
    func admit(_ chat: ChatRequest) async throws -> (RateLimiter, RateLimitPermit)? {
        guard let keyID = chat.metadata.tags["gateway.key"] else { return nil }
        let limits = RateLimits(
            requestsPerMinute: chat.metadata.tags["gateway.rpm"].flatMap { Int($0) },
            tokensPerMinute: chat.metadata.tags["gateway.tpm"].flatMap { Int($0) })
        guard limits.requestsPerMinute != nil || limits.tokensPerMinute != nil else { return nil }
        let limiter = limiter(for: keyID, limits: limits)
        var unqueued = chat
        unqueued.metadata.maxQueueWait = .zero
        do {
            let permit = try await limiter.acquire(
                for: unqueued, key: RateLimitKey(provider: Self.resource, model: nil, credential: keyID))
            return (limiter, permit)
        } catch let error as ProviderError where error.kind == .queueTimeout || error.kind == .overloaded {
            throw GatewayError(
                kind: .rateLimited, status: 429,
                message: "This key is over its limit of \(Self.describe(limits)); try again shortly.",
                code: "rate_limit_exceeded", retryAfter: Self.refill(limits), shouldRetry: true)
        }
    }

    /// Gives the permit back, correcting its tokens to `usedTokens` when known.
    func release(_ admission: (RateLimiter, RateLimitPermit)?, usedTokens: Int?) async {
        guard let (limiter, permit) = admission else { return }
        try? await limiter.release(permit, usedTokens: usedTokens)
    }

    private func limiter(for keyID: String, limits: RateLimits) -> RateLimiter {
        let clock = self.clock
        return entries.withLock { entries in
            if let entry = entries[keyID], entry.limits == limits { return entry.limiter }
            let limiter = RateLimiter(
                configuration: RateLimitConfiguration(
                    providers: [Self.resource: .init(limits: limits)], maxQueueWait: .zero),
                clock: clock)
            entries[keyID] = Entry(limits: limits, limiter: limiter)
            return limiter
        }
    }

    private static func describe(_ limits: RateLimits) -> String {
        [
            limits.requestsPerMinute.map { "\($0) requests" }, limits.tokensPerMinute.map { "\($0) tokens" },
        ].compactMap { $0 }.joined(separator: " and ") + " per minute"
    }

    /// How long one request's worth of the tighter limit takes to come back, at least a second.
    private static func refill(_ limits: RateLimits) -> Duration {
        guard let rpm = limits.requestsPerMinute, rpm > 0 else { return .seconds(1) }
        return max(.seconds(1), .milliseconds(60_000 / rpm))
    }
}
