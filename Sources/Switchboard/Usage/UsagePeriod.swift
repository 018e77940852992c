import Foundation

/// A span usage and budgets are counted over.
public enum UsagePeriod: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// A calendar day in the configured time zone, from midnight.
    case daily
    /// A calendar month in the configured time zone, from the first at midnight.
    case monthly
    /// Since counting started; never resets by itself.
    case total

    public var description: String { rawValue }
}

/// Aligns ``UsagePeriod``s to calendar days and months in one time zone.
public struct PeriodCalendar: Sendable {
    public let timeZone: TimeZone
    private let calendar: Calendar

    public init(timeZone: TimeZone = .current) {
        self.timeZone = timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    /// When the period containing `date` began; `distantPast` for ``UsagePeriod/total``.
    public func start(of period: UsagePeriod, containing date: Date) -> Date {
        switch period {
        case .daily: return calendar.startOfDay(for: date)
        case .monthly:
            let components = calendar.dateComponents([.year, .month], from: date)
            return calendar.date(from: components) ?? calendar.startOfDay(for: date)
        case .total: return .distantPast
        }
    }

    /// When the period containing `date` ends (the next one's start); `distantFuture` for ``UsagePeriod/total``.
    public func end(of period: UsagePeriod, containing date: Date) -> Date {
        let start = start(of: period, containing: date)
        switch period {
        case .daily: return calendar.date(byAdding: .day, value: 1, to: start) ?? .distantFuture
        case .monthly: return calendar.date(byAdding: .month, value: 1, to: start) ?? .distantFuture
        case .total: return .distantFuture
        }
    }

    /// The calendar day of `date` as `2026-11-01`, in this time zone.
    public func dayString(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    /// Midnight at the start of `day` (`2026-11-01`) in this time zone, or `nil` when it is not a date.
    public func date(fromDay day: String) -> Date? {
        let parts = day.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
    }
}
