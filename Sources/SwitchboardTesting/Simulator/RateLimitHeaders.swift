import Foundation

/// Plausible rate-limit headers in each provider's style (wire reference §2.6, §3.6).
enum RateLimitHeaders {
    /// OpenAI's `x-ratelimit-*` set; exhausted on a 429, with `retry-after` and `retry-after-ms`.
    static func openAI(exhausted: Bool, retryAfter: Duration?) -> [(String, String)] {
        let wait = retryAfter ?? .seconds(1)
        var headers: [(String, String)] = [
            ("x-ratelimit-limit-requests", "10000"),
            ("x-ratelimit-limit-tokens", "2000000"),
            ("x-ratelimit-remaining-requests", exhausted ? "0" : "9999"),
            ("x-ratelimit-remaining-tokens", exhausted ? "0" : "1999000"),
            ("x-ratelimit-reset-requests", exhausted ? goDuration(wait) : "6ms"),
            ("x-ratelimit-reset-tokens", exhausted ? goDuration(wait) : "30ms"),
        ]
        if exhausted {
            headers.append(("retry-after", seconds(wait)))
            headers.append(("retry-after-ms", String(milliseconds(wait))))
        }
        return headers
    }

    /// Anthropic's `anthropic-ratelimit-*` set with RFC 3339 resets; exhausted on a 429, with `retry-after`.
    static func anthropic(exhausted: Bool, retryAfter: Duration?, now: Date = Date()) -> [(String, String)] {
        let wait = retryAfter ?? .seconds(1)
        let reset = rfc3339(now.addingTimeInterval(exhausted ? max(1, Double(milliseconds(wait)) / 1000) : 60))
        let soon = rfc3339(now.addingTimeInterval(exhausted ? max(1, Double(milliseconds(wait)) / 1000) : 1))
        var headers: [(String, String)] = [
            ("anthropic-ratelimit-requests-limit", "4000"),
            ("anthropic-ratelimit-requests-remaining", exhausted ? "0" : "3999"),
            ("anthropic-ratelimit-requests-reset", soon),
            ("anthropic-ratelimit-tokens-limit", "480000"),
            ("anthropic-ratelimit-tokens-remaining", exhausted ? "0" : "479000"),
            ("anthropic-ratelimit-tokens-reset", reset),
            ("anthropic-ratelimit-input-tokens-limit", "400000"),
            ("anthropic-ratelimit-input-tokens-remaining", exhausted ? "0" : "399000"),
            ("anthropic-ratelimit-input-tokens-reset", reset),
            ("anthropic-ratelimit-output-tokens-limit", "80000"),
            ("anthropic-ratelimit-output-tokens-remaining", exhausted ? "0" : "79000"),
            ("anthropic-ratelimit-output-tokens-reset", reset),
        ]
        if exhausted { headers.append(("retry-after", seconds(wait))) }
        return headers
    }

    /// Whole milliseconds in `duration`, rounded up.
    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let partial = (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return max(0, seconds * 1000 + partial)
    }

    /// `duration` as a `retry-after` value: whole seconds when exact, else seconds with up to three decimals.
    static func seconds(_ duration: Duration) -> String {
        let ms = milliseconds(duration)
        if ms % 1000 == 0 { return String(ms / 1000) }
        var text = String(format: "%d.%03d", ms / 1000, ms % 1000)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    /// `duration` as a Go duration string such as `20ms`, `1.5s` or `6m0s`.
    static func goDuration(_ duration: Duration) -> String {
        let ms = milliseconds(duration)
        if ms < 1000 { return "\(ms)ms" }
        let hours = ms / 3_600_000
        let minutes = (ms / 60_000) % 60
        let secondsPart = seconds(.milliseconds(ms % 60_000)) + "s"
        if hours > 0 { return "\(hours)h\(minutes)m\(secondsPart)" }
        if minutes > 0 { return "\(minutes)m\(secondsPart)" }
        return secondsPart
    }

    /// An RFC 3339 timestamp in UTC with second precision, e.g. `2025-02-24T22:25:47Z`.
    static func rfc3339(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!))
    }
}
