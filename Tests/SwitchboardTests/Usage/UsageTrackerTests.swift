import Foundation
import Switchboard
import SwitchboardTesting
import Testing

@Suite struct UsageTrackerTests {

    @Test func monthRollsOverAtMidnightInTheConfiguredTimeZoneNotUTC() throws {
        let berlin = try #require(TimeZone(identifier: "Europe/Berlin"))
        // 2026-10-31 22:59 UTC = 23:59 Berlin.
        let now = TestNow(try #require(ISO8601DateFormatter().date(from: "2026-10-31T22:59:00Z")))
        let tracker = UsageTracker(calendar: PeriodCalendar(timeZone: berlin), clock: WallClock(now.closure))
        tracker.track(provider: .openAI, usage: Usage(inputTokens: 10, outputTokens: 5), cost: Money(microdollars: 7))
        #expect(tracker.stats(for: .openAI, period: .monthly).totalRequests == 1)
        #expect(tracker.stats(for: .openAI, period: .monthly).totalCost == Money(microdollars: 7))

        // One minute later it is November in Berlin, still October in UTC.
        now.advance(by: 60)
        let november = tracker.stats(for: .openAI, period: .monthly)
        #expect(november.totalRequests == 0)
        #expect(november.periodStart == ISO8601DateFormatter().date(from: "2026-10-31T23:00:00Z"))
        #expect(tracker.stats(for: .openAI, period: .daily).totalRequests == 0)
        #expect(tracker.stats(for: .openAI, period: .total).totalRequests == 1)

        tracker.track(provider: .openAI, usage: Usage(inputTokens: 1), cost: nil)
        let stats = tracker.stats(for: .openAI, period: .daily)
        #expect(stats.totalRequests == 1 && stats.unpricedRequests == 1 && stats.totalCost == .zero)
    }

    @Test func dailyRollsButMonthlyKeepsCountingWithinTheMonth() throws {
        let utc = try #require(TimeZone(identifier: "UTC"))
        let now = TestNow(try #require(ISO8601DateFormatter().date(from: "2026-11-10T23:00:00Z")))
        let tracker = UsageTracker(calendar: PeriodCalendar(timeZone: utc), clock: WallClock(now.closure))
        tracker.track(provider: .anthropic, usage: Usage(inputTokens: 3), cost: Money(microdollars: 1))
        now.advance(by: 3600)
        tracker.track(provider: .anthropic, usage: Usage(inputTokens: 4), cost: Money(microdollars: 2))
        #expect(tracker.stats(for: .anthropic, period: .daily).totalTokens == 4)
        #expect(tracker.stats(for: .anthropic, period: .monthly).totalTokens == 7)
        #expect(tracker.stats(for: .anthropic, period: .monthly).totalCost == Money(microdollars: 3))
    }

    @Test func resetUsageClearsOnePeriodAndItsBudgets() throws {
        let now = TestNow(Date(timeIntervalSince1970: 1_790_000_000))
        let calendar = PeriodCalendar(timeZone: try #require(TimeZone(identifier: "America/New_York")))
        let book = BudgetBook(
            budgets: [Budget(name: "m", scope: .provider(.openAI), period: .monthly, limit: Money(microdollars: 10))],
            calendar: calendar, clock: WallClock(now.closure))
        let tracker = UsageTracker(calendar: calendar, clock: WallClock(now.closure), budgets: book)
        book.recordSpend(
            Money(microdollars: 10), for: BudgetSubject(provider: .openAI, model: "gpt-4o"), at: now.current)
        tracker.track(
            provider: .openAI, usage: Usage(outputTokens: 1), cost: Money(microdollars: 10),
            rateLimit: RateLimitSnapshot(requests: .init(limit: 100, remaining: 42), tokens: .init(remaining: 900)))
        #expect(!tracker.checkLimits(.openAI).withinLimits)
        #expect(tracker.stats(for: .openAI).remaining == UsageStats.Remaining(requests: 42, tokens: 900))
        #expect(tracker.stats(for: .openAI).rateLimit?.requests?.limit == 100)
        tracker.resetUsage(period: .monthly)
        #expect(tracker.stats(for: .openAI, period: .monthly).totalRequests == 0)
        #expect(tracker.stats(for: .openAI, period: .daily).totalRequests == 1)
        #expect(tracker.checkLimits(.openAI).withinLimits)
    }
}
