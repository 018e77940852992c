import Foundation
import Metrics
import Synchronization

/// The budgets' running state — spent and reserved per budget and period — with reservation and
/// reconciliation as single atomic steps, so concurrent requests can never overspend a hard budget.
///
/// A request first ``reserve(_:for:)``s its worst-case cost against every budget covering it; the
/// reservation is refused when any covering hard budget's spent plus reserved plus the amount would
/// pass its limit. When the request ends, ``settle(_:actualCost:)`` releases the reservation and
/// adds the real cost. Periods roll over by the injected ``WallClock``.
public final class BudgetBook: Sendable {
    /// A granted reservation; settle it exactly once.
    public struct Reservation: Sendable {
        public var amount: Money
        public var subject: BudgetSubject
        /// Indices into ``BudgetBook/budgets`` with the period start each was reserved in.
        fileprivate var holds: [(index: Int, periodStart: Date)]
        /// Soft budgets the request goes over.
        public var softOverruns: [BudgetStatus]
    }

    /// Why a reservation was refused.
    public struct Refusal: Sendable {
        public var status: BudgetStatus
        /// The worst-case cost asked for; `nil` when the model's price is unknown.
        public var amount: Money?

        /// Names the budget and the amounts.
        public var message: String {
            let budget = status.budget
            guard let amount else {
                return "budget '\(budget.name)' (\(budget.scope), \(budget.period)) is hard and the model's price is "
                    + "unknown, so its cost cannot be bounded; add the model under pricing"
            }
            return
                "budget '\(budget.name)' (\(budget.scope), \(budget.period)) would be exceeded: spent \(status.spent) "
                + "+ reserved \(status.reserved) + this request's worst case \(amount) > limit \(budget.limit)"
        }
    }

    private struct Entry {
        var budget: Budget
        var periodStart: Date
        var spent = Money.zero
        var reserved = Money.zero
        var alerted: Set<Int> = []
    }

    /// The budgets, in the order they were configured or added.
    public var budgets: [Budget] { entries.withLock { $0.map(\.budget) } }
    /// Whether the book holds no budget (a stage can skip its work then).
    public var isEmpty: Bool { entries.withLock { $0.isEmpty } }
    public let calendar: PeriodCalendar
    public let clock: WallClock
    private let entries: Mutex<[Entry]>

    public init(budgets: [Budget], calendar: PeriodCalendar = .init(), clock: WallClock = .system) {
        self.calendar = calendar
        self.clock = clock
        let now = clock.now
        entries = Mutex(
            budgets.map { Entry(budget: $0, periodStart: calendar.start(of: $0.period, containing: now)) })
    }

    /// Reserves `amount` (`nil`: unknown) against every budget covering `subject`, or says which hard
    /// budget refuses it. An unknown amount is refused by any covering hard budget and reserves nothing
    /// on soft ones.
    public func reserve(_ amount: Money?, for subject: BudgetSubject) -> Result<Reservation, BudgetRefusal> {
        let now = clock.now
        return entries.withLock { entries in
            roll(&entries, now: now)
            let covering = entries.indices.filter { entries[$0].budget.scope.covers(subject) }
            var softOverruns: [BudgetStatus] = []
            for index in covering {
                let status = self.status(index, entries[index])
                let fits = amount.map { status.spent + status.reserved + $0 <= status.budget.limit } ?? false
                guard !fits else { continue }
                if status.budget.enforcement == .hard {
                    return .failure(BudgetRefusal(refusal: Refusal(status: status, amount: amount)))
                }
                softOverruns.append(status)
            }
            for index in covering { entries[index].reserved += amount ?? .zero }
            return .success(
                Reservation(
                    amount: amount ?? .zero, subject: subject,
                    holds: covering.map { ($0, entries[$0].periodStart) }, softOverruns: softOverruns))
        }
    }

    /// Releases `reservation` and adds `actualCost` (`nil`: unknown, adds nothing) to the budgets it held;
    /// returns the alerts for thresholds crossed now.
    @discardableResult
    public func settle(_ reservation: Reservation, actualCost: Money?) -> [BudgetAlert] {
        let now = clock.now
        var used: [(budget: Budget, spent: Money)] = []
        defer {
            // Nanodollars, whole numbers for a gauge; the book keeps exact picodollars.
            for (budget, spent) in used {
                let dimensions = [("budget", budget.name), ("period", budget.period.rawValue)]
                Gauge(label: "switchboard.budget.spent_nanodollars", dimensions: dimensions)
                    .record(spent.picodollars / 1000)
                Gauge(label: "switchboard.budget.limit_nanodollars", dimensions: dimensions)
                    .record(budget.limit.picodollars / 1000)
            }
        }
        return entries.withLock { entries in
            roll(&entries, now: now)
            var alerts: [BudgetAlert] = []
            for hold in reservation.holds {
                let budget = entries[hold.index].budget
                if entries[hold.index].periodStart == hold.periodStart {
                    entries[hold.index].reserved = max(entries[hold.index].reserved - reservation.amount, .zero)
                }
                entries[hold.index].spent += actualCost ?? .zero
                let spent = entries[hold.index].spent
                used.append((budget, spent))
                for threshold in budget.alertThresholds where !entries[hold.index].alerted.contains(threshold) {
                    let reached =
                        Int128(spent.picodollars) * 100 >= Int128(budget.limit.picodollars) * Int128(threshold)
                    guard reached else { continue }
                    entries[hold.index].alerted.insert(threshold)
                    alerts.append(
                        BudgetAlert(
                            budget: budget, threshold: threshold, spent: spent,
                            periodStart: entries[hold.index].periodStart))
                }
            }
            return alerts
        }
    }

    /// Adds the spending the ledger holds for every budget's current period, so a restarted process
    /// does not start its budgets from zero. Call once, before the first reservation.
    public func restore(from store: any UsageStore) async throws {
        let now = clock.now
        let earliest = budgets.map { calendar.start(of: $0.period, containing: now) }.min()
        guard let earliest else { return }
        for record in try await store.records(since: earliest == .distantPast ? nil : earliest, until: nil) {
            guard let cost = record.cost else { continue }
            recordSpend(cost, for: BudgetSubject(record), at: record.timestamp)
        }
    }

    /// Adds `budget` unless the book has one of that name, counting what `store` holds for its
    /// current period; returns whether it was added. Lets a running process take on budgets — the
    /// gateway adds one per virtual key as keys appear.
    @discardableResult
    public func add(_ budget: Budget, restoringFrom store: (any UsageStore)? = nil) async throws -> Bool {
        if entries.withLock({ $0.contains { $0.budget.name == budget.name } }) { return false }
        let start = calendar.start(of: budget.period, containing: clock.now)
        var spent = Money.zero
        let since = start == .distantPast ? nil : start
        if case .component(let component) = budget.scope, let store {
            spent = try await store.cost(ofComponent: component, since: since)
        } else {
            for record in try await store?.records(since: since, until: nil) ?? [] {
                guard let cost = record.cost, budget.scope.covers(BudgetSubject(record)),
                    calendar.start(of: budget.period, containing: record.timestamp) == start
                else { continue }
                spent += cost
            }
        }
        return entries.withLock { entries in
            guard !entries.contains(where: { $0.budget.name == budget.name }) else { return false }
            entries.append(Entry(budget: budget, periodStart: start, spent: spent))
            return true
        }
    }

    /// Adds spending that happened elsewhere (for example read back from the ledger at start-up).
    public func recordSpend(_ cost: Money, for subject: BudgetSubject, at date: Date) {
        let now = clock.now
        entries.withLock { entries in
            roll(&entries, now: now)
            for index in entries.indices where entries[index].budget.scope.covers(subject) {
                let start = calendar.start(of: entries[index].budget.period, containing: date)
                guard start == entries[index].periodStart else { continue }
                entries[index].spent += cost
            }
        }
    }

    /// Every budget with its current period's spent and reserved amounts.
    public func statuses() -> [BudgetStatus] {
        let now = clock.now
        return entries.withLock { entries in
            roll(&entries, now: now)
            return entries.indices.map { status($0, entries[$0]) }
        }
    }

    /// Starts every budget of `period` afresh now (reservations of running requests are kept).
    public func reset(period: UsagePeriod) {
        let now = clock.now
        entries.withLock { entries in
            for index in entries.indices where entries[index].budget.period == period {
                entries[index].spent = .zero
                entries[index].alerted = []
                if period != .total {
                    entries[index].periodStart = calendar.start(of: period, containing: now)
                }
            }
        }
    }

    private func roll(_ entries: inout [Entry], now: Date) {
        for index in entries.indices {
            let start = calendar.start(of: entries[index].budget.period, containing: now)
            if entries[index].periodStart != start {
                entries[index] = Entry(budget: entries[index].budget, periodStart: start)
            }
        }
    }

    private func status(_ index: Int, _ entry: Entry) -> BudgetStatus {
        BudgetStatus(
            budget: entry.budget, periodStart: entry.periodStart, spent: entry.spent, reserved: entry.reserved)
    }
}

/// A hard budget refused a reservation.
public struct BudgetRefusal: Error, Sendable {
    public var refusal: BudgetBook.Refusal
}
