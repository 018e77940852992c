import Foundation

/// A budget's spending crossed one of its thresholds (once per threshold and period).
public struct BudgetAlert: Hashable, Sendable, CustomStringConvertible {
    public var budget: Budget
    /// The percentage crossed (50, 80, 100, …).
    public var threshold: Int
    public var spent: Money
    public var periodStart: Date

    public init(budget: Budget, threshold: Int, spent: Money, periodStart: Date) {
        self.budget = budget
        self.threshold = threshold
        self.spent = spent
        self.periodStart = periodStart
    }

    public var description: String {
        "budget '\(budget.name)' (\(budget.scope), \(budget.period)) reached \(threshold)%: "
            + "spent \(spent) of \(budget.limit)"
    }

    /// The webhook body.
    var json: JSONValue {
        [
            "type": "budget_alert", "budget": .string(budget.name), "scope": .string(budget.scope.description),
            "period": .string(budget.period.rawValue), "enforcement": .string(budget.enforcement.rawValue),
            "threshold_percent": .integer(threshold), "spent_usd": .string(spent.exactDecimalString),
            "limit_usd": .string(budget.limit.exactDecimalString),
            "period_start": .string(ISO8601DateFormatter().string(from: periodStart)),
        ]
    }
}
