import Switchboard

/// The rate-limit part of `switchboard status`: one row per limited resource (configured limits,
/// what could start now, requests in flight and waiting).
extension StatusCommand {
    /// The buckets the configuration's `rate_limits` section sets up, as a fresh limiter sees them.
    static func rateLimits(_ configuration: SwitchboardConfiguration) async throws -> [RateLimitBucketStatus] {
        guard let rateLimits = configuration.rateLimits else { return [] }
        return try await RateLimiter(configuration: rateLimits).statuses()
    }

    static func rateLimitTable(_ buckets: [RateLimitBucketStatus], output: TerminalOutput) -> String {
        guard !buckets.isEmpty else { return "" }
        func count(_ value: Int?) -> String { value.map(String.init) ?? "—" }
        let rows = buckets.map { bucket -> [String] in
            [
                bucket.key.description, count(bucket.limits.requestsPerMinute), count(bucket.remainingRequests),
                count(bucket.limits.tokensPerMinute), count(bucket.remainingTokens),
                bucket.limits.maxConcurrent.map { "\(bucket.inFlight)/\($0)" } ?? "\(bucket.inFlight)",
                String(bucket.waiting), bucket.pausedFor.map { "paused \(milliseconds($0) ?? 0) ms" } ?? "",
            ]
        }
        return "\n" + output.bold("Rate limits") + "\n"
            + Table(
                header: ["BUCKET", "RPM", "REQUESTS LEFT", "TPM", "TOKENS LEFT", "IN FLIGHT", "WAITING", "NOTE"],
                rows: rows
            ).render(output: output)
    }

    static func rateLimitJSON(_ buckets: [RateLimitBucketStatus]) -> JSONValue {
        func number(_ value: Int?) -> JSONValue { value.map(JSONValue.integer) ?? .null }
        return .array(
            buckets.map { bucket in
                .object([
                    "provider": .string(bucket.key.provider.rawValue),
                    "model": bucket.key.model.map(JSONValue.string) ?? .null,
                    "credential": bucket.key.credential.map(JSONValue.string) ?? .null,
                    "requests_per_minute": number(bucket.limits.requestsPerMinute),
                    "tokens_per_minute": number(bucket.limits.tokensPerMinute),
                    "max_concurrent": number(bucket.limits.maxConcurrent),
                    "remaining_requests": number(bucket.remainingRequests),
                    "remaining_tokens": number(bucket.remainingTokens),
                    "in_flight": .integer(bucket.inFlight), "waiting": .integer(bucket.waiting),
                    "paused_ms": number(milliseconds(bucket.pausedFor)),
                ])
            })
    }
}
