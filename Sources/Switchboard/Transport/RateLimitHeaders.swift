import Foundation
import NIOHTTP1

/// Reads the rate-limit and retry headers of OpenAI (wire reference §2.6) and Anthropic (§3.6).
enum RateLimitHeaders {
    /// OpenAI's `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`, resets as Go durations.
    static func openAI(_ headers: HTTPHeaders, now: Date) -> RateLimitSnapshot? {
        func window(limit: String, remaining: String, reset: String) -> RateLimitSnapshot.Window? {
            let window = RateLimitSnapshot.Window(
                limit: headers.first(name: limit).flatMap { Int($0) },
                remaining: headers.first(name: remaining).flatMap { Int($0) },
                resetsIn: headers.first(name: reset).flatMap(goDuration)
            )
            return window.isEmpty ? nil : window
        }
        let snapshot = RateLimitSnapshot(
            requests: window(
                limit: "x-ratelimit-limit-requests", remaining: "x-ratelimit-remaining-requests",
                reset: "x-ratelimit-reset-requests"),
            tokens: window(
                limit: "x-ratelimit-limit-tokens", remaining: "x-ratelimit-remaining-tokens",
                reset: "x-ratelimit-reset-tokens"),
            retryAfter: retryAfter(headers, now: now))
        return snapshot.isEmpty ? nil : snapshot
    }

    /// Anthropic's `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}`,
    /// resets as RFC 3339 times.
    static func anthropic(_ headers: HTTPHeaders, now: Date) -> RateLimitSnapshot? {
        func window(_ resource: String) -> RateLimitSnapshot.Window? {
            let prefix = "anthropic-ratelimit-\(resource)"
            let window = RateLimitSnapshot.Window(
                limit: headers.first(name: "\(prefix)-limit").flatMap { Int($0) },
                remaining: headers.first(name: "\(prefix)-remaining").flatMap { Int($0) },
                resetsIn: headers.first(name: "\(prefix)-reset").flatMap { rfc3339($0) }.map {
                    .milliseconds(max(0, Int64(($0.timeIntervalSince(now) * 1000).rounded())))
                }
            )
            return window.isEmpty ? nil : window
        }
        let snapshot = RateLimitSnapshot(
            requests: window("requests"), tokens: window("tokens"),
            inputTokens: window("input-tokens"), outputTokens: window("output-tokens"),
            retryAfter: retryAfter(headers, now: now))
        return snapshot.isEmpty ? nil : snapshot
    }

    /// `retry-after-ms` (milliseconds), else `retry-after` (seconds, possibly fractional, or an HTTP date).
    static func retryAfter(_ headers: HTTPHeaders, now: Date) -> Duration? {
        if let value = headers.first(name: "retry-after-ms"), let milliseconds = Double(value), milliseconds >= 0 {
            return .milliseconds(Int64(milliseconds.rounded()))
        }
        guard let value = headers.first(name: "retry-after")?.trimmingCharacters(in: .whitespaces) else {
            return nil
        }
        if let seconds = Double(value), seconds >= 0 {
            return .milliseconds(Int64((seconds * 1000).rounded()))
        }
        if let date = httpDate(value) {
            return .milliseconds(max(0, Int64((date.timeIntervalSince(now) * 1000).rounded())))
        }
        return nil
    }

    /// Parses Go-style durations: `20ms`, `1s`, `6m0s`, `2m59.56s`, `1h2m3.5s`.
    static func goDuration(_ text: String) -> Duration? {
        let utf8 = text.utf8
        var total = 0.0
        var numberStart = utf8.startIndex
        var index = utf8.startIndex
        var sawUnit = false
        while index < utf8.endIndex {
            let byte = utf8[index]
            if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: ".") {
                index = utf8.index(after: index)
                continue
            }
            guard let value = Double(Substring(utf8[numberStart..<index])) else { return nil }
            let next = utf8.index(after: index)
            switch byte {
            case UInt8(ascii: "m") where next < utf8.endIndex && utf8[next] == UInt8(ascii: "s"):
                total += value / 1000
                index = utf8.index(after: next)
            case UInt8(ascii: "h"):
                total += value * 3600
                index = next
            case UInt8(ascii: "m"):
                total += value * 60
                index = next
            case UInt8(ascii: "s"):
                total += value
                index = next
            default:
                return nil
            }
            numberStart = index
            sawUnit = true
        }
        if numberStart < utf8.endIndex {
            // A bare number (Azure sends integer seconds).
            guard let value = Double(Substring(utf8[numberStart...])) else { return nil }
            total += value
            sawUnit = true
        }
        return sawUnit ? .milliseconds(Int64((total * 1000).rounded())) : nil
    }

    static func rfc3339(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}
