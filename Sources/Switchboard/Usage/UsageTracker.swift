import Foundation
import Synchronization

/// Live usage per provider for the current day, month and overall, with the budgets' state:
/// what ``LLMClient/usage()`` returns.
///
/// Days and months are calendar periods in ``calendar``'s time zone, read from an injected
/// ``WallClock``; they roll over by themselves and can be reset by hand with ``resetUsage(period:)``.
/// The durable record is the ledger (``UsageLedger``); this is the in-memory view of it.
public final class UsageTracker: Sendable {
    private struct Tally {
        var requests = 0
        var failed = 0
        var usage = Usage.zero
        var cost = Money.zero
        var unpriced = 0
    }

    private struct State {
        var starts: [UsagePeriod: Date] = [:]
        /// When the current day and month end: until then a request needs no calendar arithmetic.
        var ends: [UsagePeriod: Date] = [:]
        var tallies: [UsagePeriod: [ProviderID: Tally]] = [:]
        var rateLimits: [ProviderID: RateLimitSnapshot] = [:]
    }

    public let calendar: PeriodCalendar
    public let clock: WallClock
    /// The budgets whose state ``checkLimits(_:)`` reports; `nil` when none are configured.
    public let budgets: BudgetBook?
    private let state = Mutex(State())

    public init(calendar: PeriodCalendar = .init(), clock: WallClock = .system, budgets: BudgetBook? = nil) {
        self.calendar = calendar
        self.clock = clock
        self.budgets = budgets
    }

    /// Counts one request: its provider, tokens and cost (`nil` when the price is unknown), whether it
    /// failed, and the provider's rate-limit headers on it.
    public func track(
        provider: ProviderID, usage: Usage, cost: Money?, failed: Bool = false, rateLimit: RateLimitSnapshot? = nil
    ) {
        let now = clock.now
        state.withLock { state in
            roll(&state, now: now)
            for period in UsagePeriod.allCases {
                var tally = state.tallies[period]?[provider] ?? Tally()
                tally.requests += 1
                if failed { tally.failed += 1 }
                tally.usage += usage
                if let cost { tally.cost += cost } else if usage.totalTokens > 0 { tally.unpriced += 1 }
                state.tallies[period, default: [:]][provider] = tally
            }
            if let rateLimit { state.rateLimits[provider] = rateLimit }
        }
    }

    /// One provider's usage in the current `period`.
    public func stats(for provider: ProviderID, period: UsagePeriod = .daily) -> UsageStats {
        let now = clock.now
        return state.withLock { state in
            roll(&state, now: now)
            return stats(state.tallies[period]?[provider] ?? Tally(), provider: provider, period: period, state: state)
        }
    }

    /// Every provider's usage in the current `period`.
    public func stats(period: UsagePeriod = .daily) -> [ProviderID: UsageStats] {
        let now = clock.now
        return state.withLock { state in
            roll(&state, now: now)
            var result: [ProviderID: UsageStats] = [:]
            for (provider, tally) in state.tallies[period] ?? [:] {
                result[provider] = stats(tally, provider: provider, period: period, state: state)
            }
            return result
        }
    }

    /// All providers together in the current `period` (no rate-limit snapshot).
    public func total(period: UsagePeriod = .daily) -> UsageStats {
        let now = clock.now
        return state.withLock { state in
            roll(&state, now: now)
            var sum = Tally()
            for tally in (state.tallies[period] ?? [:]).values {
                sum.requests += tally.requests
                sum.failed += tally.failed
                sum.usage += tally.usage
                sum.cost += tally.cost
                sum.unpriced += tally.unpriced
            }
            return UsageStats(
                period: period, periodStart: state.starts[period] ?? now, totalRequests: sum.requests,
                failedRequests: sum.failed, usage: sum.usage, totalCost: sum.cost, unpricedRequests: sum.unpriced)
        }
    }

    /// Whether `provider` may take more requests now: every budget covering it (its own and the
    /// overall ones) is under its limit, and its last rate-limit headers did not say zero remaining.
    public func checkLimits(_ provider: ProviderID) -> LimitCheck {
        let statuses = budgets?.statuses().filter { $0.budget.scope.covers(provider: provider) } ?? []
        let rateLimit = state.withLock { $0.rateLimits[provider] }
        var reasons: [String] = []
        for status in statuses where status.spent >= status.budget.limit {
            reasons.append(
                "budget '\(status.budget.name)' spent \(status.spent) of \(status.budget.limit) this \(status.budget.period)"
            )
        }
        if let remaining = rateLimit?.requests?.remaining, remaining <= 0 {
            reasons.append("no requests remaining in \(provider)'s rate-limit window")
        }
        if let remaining = rateLimit?.tokens?.remaining, remaining <= 0 {
            reasons.append("no tokens remaining in \(provider)'s rate-limit window")
        }
        return LimitCheck(provider: provider, budgets: statuses, rateLimit: rateLimit, reasons: reasons)
    }

    /// Starts `period` afresh now; ``UsagePeriod/total`` clears everything counted so far.
    public func resetUsage(period: UsagePeriod) {
        let now = clock.now
        state.withLock { state in
            state.tallies[period] = [:]
            state.starts[period] = period == .total ? now : calendar.start(of: period, containing: now)
        }
        budgets?.reset(period: period)
    }

    private func roll(_ state: inout State, now: Date) {
        for period in [UsagePeriod.daily, .monthly] {
            if let start = state.starts[period], let end = state.ends[period], start <= now, now < end { continue }
            let start = calendar.start(of: period, containing: now)
            state.ends[period] = calendar.end(of: period, containing: now)
            if state.starts[period] != start {
                state.starts[period] = start
                state.tallies[period] = [:]
            }
        }
        if state.starts[.total] == nil { state.starts[.total] = now }
    }

    private func stats(_ tally: Tally, provider: ProviderID, period: UsagePeriod, state: State) -> UsageStats {
        UsageStats(
            period: period, periodStart: state.starts[period] ?? .distantPast, totalRequests: tally.requests,
            failedRequests: tally.failed, usage: tally.usage, totalCost: tally.cost, unpricedRequests: tally.unpriced,
            rateLimit: state.rateLimits[provider])
    }
}

/// The answer of ``UsageTracker/checkLimits(_:)``.
public struct LimitCheck: Sendable {
    public var provider: ProviderID
    /// The budgets covering the provider, with what they have spent this period.
    public var budgets: [BudgetStatus]
    public var rateLimit: RateLimitSnapshot?
    /// Why the provider is at a limit; empty when it is not.
    public var reasons: [String]

    /// Whether no budget is spent and the rate-limit window is not empty.
    public var withinLimits: Bool { reasons.isEmpty }
}
