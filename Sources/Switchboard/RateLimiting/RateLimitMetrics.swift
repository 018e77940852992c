import Metrics

/// The metrics of one limited resource, made once per resource (dimensions: `gen_ai.system`,
/// `gen_ai.request.model`, `credential` — the key's fingerprint):
///
/// - `switchboard.rate_limit.queue_depth` (gauge): requests waiting now;
/// - `switchboard.rate_limit.wait_duration` (timer): how long each admitted request waited in the queue
///   (requests admitted without waiting are not recorded, to keep the fast path cheap);
/// - `switchboard.rate_limit.remaining_requests` / `remaining_tokens` (gauges): what could start now,
///   the smaller of the configured bucket and the provider's headers, after each response;
/// - `switchboard.rate_limit.rejected` (counter, by `reason`: `overloaded`, `queue_timeout`).
struct RateLimitMetrics: Sendable {
    let dimensions: [(String, String)]
    let queueDepth: Gauge
    let waitDuration: Timer
    let remainingRequests: Gauge
    let remainingTokens: Gauge

    init(key: RateLimitKey) {
        dimensions = [
            ("gen_ai.system", key.provider.rawValue), ("gen_ai.request.model", key.model ?? "default"),
            ("credential", key.credential ?? "none"),
        ]
        queueDepth = Gauge(label: "switchboard.rate_limit.queue_depth", dimensions: dimensions)
        waitDuration = Timer(label: "switchboard.rate_limit.wait_duration", dimensions: dimensions)
        remainingRequests = Gauge(label: "switchboard.rate_limit.remaining_requests", dimensions: dimensions)
        remainingTokens = Gauge(label: "switchboard.rate_limit.remaining_tokens", dimensions: dimensions)
    }

    func rejected(_ reason: String) {
        Counter(label: "switchboard.rate_limit.rejected", dimensions: dimensions + [("reason", reason)]).increment()
    }

    func record(_ status: RateLimitBucketStatus) {
        queueDepth.record(status.waiting)
        if let remaining = status.remainingRequests { remainingRequests.record(remaining) }
        if let remaining = status.remainingTokens { remainingTokens.record(remaining) }
    }
}
