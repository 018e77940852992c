import Foundation
import Switchboard

/// How long Ollama keeps a model loaded after a request (`keep_alive`, wire reference §5.1).
enum OllamaKeepAlive: Sendable, Equatable {
    /// Unload right after the reply (`0`).
    case unload
    /// Keep loaded indefinitely (a negative value).
    case forever
    /// Keep loaded this many seconds after the reply.
    case seconds(Double)

    /// Ollama's default: five minutes.
    static let standard = OllamaKeepAlive.seconds(300)

    /// Parses a `keep_alive` value: seconds as a number, or a Go duration string such as `10m`, `1h30m`,
    /// `-1m`; `nil` and anything unreadable give the default.
    init(_ value: JSONValue?) {
        switch value {
        case .integer(let seconds): self = Self.from(seconds: Double(seconds))
        case .number(let seconds): self = Self.from(seconds: seconds)
        case .string(let text): self = Self.parse(text).map(Self.from(seconds:)) ?? .standard
        default: self = .standard
        }
    }

    private static func from(seconds: Double) -> OllamaKeepAlive {
        seconds == 0 ? .unload : seconds < 0 ? .forever : .seconds(seconds)
    }

    /// Seconds in a Go duration string (`300`, `5m`, `1h30m`, `1.5s`, `-1m`, `250ms`).
    private static func parse(_ text: String) -> Double? {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        var sign = 1.0
        if rest.hasPrefix("-") {
            sign = -1
            rest = rest.dropFirst()
        }
        if let plain = Double(rest) { return sign * plain }
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isLetter || $0 == "µ" }
            rest = rest.dropFirst(unit.count)
            switch unit {
            case "h": total += value * 3600
            case "m": total += value * 60
            case "s": total += value
            case "ms": total += value / 1000
            case "us", "µs": total += value / 1_000_000
            case "ns": total += value / 1_000_000_000
            default: return nil
            }
        }
        return sign * total
    }

    /// When a model loaded `now` expires; `nil` when it unloads at once.
    func expiry(from now: Date) -> Date? {
        switch self {
        case .unload: nil
        case .forever: now.addingTimeInterval(100 * 365 * 24 * 3600)
        case .seconds(let seconds): now.addingTimeInterval(seconds)
        }
    }
}
