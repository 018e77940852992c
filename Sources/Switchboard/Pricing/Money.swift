import Foundation

/// An exact amount of US dollars, counted in picodollars (10⁻¹² USD) in an `Int64`.
///
/// Prices are published per million tokens with up to six decimals (`0.01875` USD), so the price of
/// one token is a whole number of picodollars and every cost is exact: no rounding, no `Double`.
/// An `Int64` holds up to about 9.2 million dollars; sums saturate there instead of wrapping.
public struct Money: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Picodollars: one dollar is 1,000,000,000,000.
    public var picodollars: Int64

    /// Picodollars in one dollar.
    public static let picodollarsPerDollar: Int64 = 1_000_000_000_000

    public init(picodollars: Int64) { self.picodollars = picodollars }

    /// Whole microdollars (10⁻⁶ USD).
    public init(microdollars: Int64) { self.init(picodollars: microdollars.multipliedSaturating(by: 1_000_000)) }

    /// An exact amount given as a decimal number of dollars (`Decimal(string: "1.25")`); digits beyond
    /// the twelfth decimal are rounded to the nearest picodollar.
    public init(dollars: Decimal) {
        var scaled = dollars * Decimal(Self.picodollarsPerDollar)
        var rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .plain)
        let limit = Decimal(Int64.max)
        if rounded >= limit {
            picodollars = .max
        } else if rounded <= -limit {
            picodollars = -.max
        } else {
            picodollars = NSDecimalNumber(decimal: rounded).int64Value
        }
    }

    public static let zero = Money(picodollars: 0)

    /// The amount in dollars, exactly.
    public var dollars: Decimal { Decimal(picodollars) / Decimal(Self.picodollarsPerDollar) }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.picodollars < rhs.picodollars }

    public static func + (lhs: Money, rhs: Money) -> Money {
        Money(picodollars: lhs.picodollars.addingSaturating(rhs.picodollars))
    }

    public static func - (lhs: Money, rhs: Money) -> Money {
        Money(picodollars: lhs.picodollars.addingSaturating(-rhs.picodollars))
    }

    public static func += (lhs: inout Money, rhs: Money) { lhs = lhs + rhs }
    public static func -= (lhs: inout Money, rhs: Money) { lhs = lhs - rhs }

    /// `count` times this amount (a per-token price times tokens).
    public func times(_ count: Int) -> Money {
        Money(picodollars: picodollars.multipliedSaturating(by: Int64(count)))
    }

    /// The amount as `$1.234567`, rounded half up to `decimals` places (six by default: microdollars).
    public func formatted(decimals: Int = 6) -> String {
        "$" + plainDecimalString(decimals: decimals)
    }

    /// The amount in dollars without a sign, rounded half up to `decimals` places (at most 12).
    public func plainDecimalString(decimals: Int = 6) -> String {
        let places = min(max(decimals, 0), 12)
        var unit: Int64 = 1
        for _ in 0..<(12 - places) { unit *= 10 }
        let negative = picodollars < 0
        let magnitude = picodollars.magnitude
        let units = (magnitude + UInt64(unit / 2)) / UInt64(unit)
        var scale: UInt64 = 1
        for _ in 0..<places { scale *= 10 }
        let whole = units / scale
        var text = (negative && units != 0 ? "-" : "") + String(whole)
        if places > 0 {
            let fraction = String(units % scale)
            text += "." + String(repeating: "0", count: places - fraction.count) + fraction
        }
        return text
    }

    /// All twelve decimals with trailing zeros removed (`0.00012`), exact.
    public var exactDecimalString: String {
        var text = plainDecimalString(decimals: 12)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    public var description: String { formatted() }
}

extension Int64 {
    fileprivate func addingSaturating(_ other: Int64) -> Int64 {
        let (result, overflow) = addingReportingOverflow(other)
        guard overflow else { return result }
        return other > 0 ? .max : .min
    }

    fileprivate func multipliedSaturating(by other: Int64) -> Int64 {
        let (result, overflow) = multipliedReportingOverflow(by: other)
        guard overflow else { return result }
        return (self < 0) == (other < 0) ? .max : .min
    }
}
