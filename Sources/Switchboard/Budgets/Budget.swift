import Foundation

/// A spending limit over a period for one ``BudgetScope``.
public struct Budget: Hashable, Sendable, CustomStringConvertible {
    /// What happens when a request would go over the limit.
    public enum Enforcement: String, Hashable, Sendable {
        /// Refuse the request with ``ProviderError/Kind/budgetExceeded``.
        case hard
        /// Let it through and alert.
        case soft
    }

    /// A unique name, used in errors, alerts and logs.
    public var name: String
    public var scope: BudgetScope
    public var period: UsagePeriod
    public var limit: Money
    public var enforcement: Enforcement
    /// Percentages of ``limit`` whose crossing raises one ``BudgetAlert`` per period each.
    public var alertThresholds: [Int]

    public init(
        name: String, scope: BudgetScope = .overall, period: UsagePeriod = .monthly, limit: Money,
        enforcement: Enforcement = .hard, alertThresholds: [Int] = [50, 80, 100]
    ) {
        self.name = name
        self.scope = scope
        self.period = period
        self.limit = limit
        self.enforcement = enforcement
        self.alertThresholds = alertThresholds.filter { $0 > 0 }.sorted()
    }

    public var description: String { "\(name) (\(scope), \(limit) \(period), \(enforcement.rawValue))" }
}

/// A budget and what it has spent and holds reserved in its current period.
public struct BudgetStatus: Hashable, Sendable {
    public var budget: Budget
    /// When the current period began.
    public var periodStart: Date
    /// The real cost of finished requests this period.
    public var spent: Money
    /// Worst-case costs held for requests still running.
    public var reserved: Money

    /// What is left after spent and reserved amounts; negative when a soft budget is over.
    public var available: Money { budget.limit - spent - reserved }
}
