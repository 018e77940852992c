import Foundation
import NIOHTTP1

/// Reads the rate-limit and retry headers of OpenAI (wire reference §2.6) and Anthropic (§3.6).
enum RateLimitHeaders {
    /// OpenAI's `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`, resets as Go durations.
    static func openAI(_ headers: HTTPHeaders, now: Date) -> RateLimitSnapshot? {
        func window(_ resource: String) -> RateLimitSnapshot.Window? {
            let window = RateLimitSnapshot.Window(
                limit: headers.first(name: "x-ratelimit-limit-\(resource)").flatMap { Int($0) },
                remaining: headers.first(name: "x-ratelimit-remaining-\(resource)").flatMap { Int($0) },
                resetsIn: headers.first(name: "x-ratelimit-reset-\(resource)").flatMap(goDuration)
            )
            return window.isEmpty ? nil : window
        }
        let snapshot = RateLimitSnapshot(
            requests: window("requests"), tokens: window("tokens"), retryAfter: retryAfter(headers, now: now))
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
        var total = 0.0
        var number = ""
        var index = text.startIndex
        var sawUnit = false
        while index < text.endIndex {
            let character = text[index]
            if character.isNumber || character == "." {
                number.append(character)
                index = text.index(after: index)
                continue
            }
            guard let value = Double(number) else { return nil }
            let rest = text[index...]
            if rest.hasPrefix("ms") {
                total += value / 1000
                index = text.index(index, offsetBy: 2)
            } else if rest.hasPrefix("h") {
                total += value * 3600
                index = text.index(after: index)
            } else if rest.hasPrefix("m") {
                total += value * 60
                index = text.index(after: index)
            } else if rest.hasPrefix("s") {
                total += value
                index = text.index(after: index)
            } else {
                return nil
            }
            number = ""
            sawUnit = true
        }
        if !number.isEmpty {
            // A bare number (Azure sends integer seconds).
            guard let value = Double(number) else { return nil }
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
