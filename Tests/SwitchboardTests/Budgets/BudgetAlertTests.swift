import Foundation
import Logging
import Switchboard
import SwitchboardTesting
import Synchronization
import Testing

@Suite(.timeLimit(.minutes(2))) struct BudgetAlertTests {
    let alert = BudgetAlert(
        budget: Budget(name: "team", scope: .feature("search"), period: .monthly, limit: Money(dollars: 10)),
        threshold: 80, spent: Money(dollars: 8), periodStart: Date(timeIntervalSince1970: 1_790_000_000))

    @Test func webhookRetriesWithBackoffOnTheInjectedClockUntilDelivered() async throws {
        let receiver = try await WebhookReceiver(statuses: [503, 500])
        let clock = ManualClock()
        let webhook = WebhookNotifier(
            url: receiver.url, clock: PolicyClock(clock), jitter: JitterSource { 0.999_999 }, maxAttempts: 5,
            initialBackoff: .seconds(1), maxBackoff: .seconds(30), logger: Logger(label: "test"))
        webhook.send(alert)
        // First try fails (503): the retry waits 1 s on the manual clock; then 500: 2 s; then 200.
        await clock.waitForSleepers(1)
        #expect(receiver.bodies.count == 1)
        clock.advance(by: .seconds(1))
        await clock.waitForSleepers(1)
        #expect(receiver.bodies.count == 2)
        clock.advance(by: .seconds(2))
        await webhook.shutdown()
        #expect(receiver.bodies.count == 3)
        let json = try JSONValue.parse(try #require(receiver.bodies.last))
        #expect(json["type"] == "budget_alert")
        #expect(json["budget"] == "team")
        #expect(json["threshold_percent"] == 80)
        #expect(json["spent_usd"] == "8")
        #expect(json["limit_usd"] == "10")
        #expect(json["scope"] == "feature:search")
        try await receiver.shutdown()
    }

    @Test func backoffDoublesAndIsCapped() {
        let full = JitterSource { 0.999_999_999 }
        func seconds(_ attempt: Int) -> Int {
            Int(
                (WebhookNotifier.backoff(attempt: attempt, initial: .seconds(1), cap: .seconds(5), jitter: full)
                    / .milliseconds(1)).rounded() / 1000)
        }
        #expect([1, 2, 3, 4, 10].map(seconds) == [1, 2, 4, 5, 5])
    }

    @Test func clientAlertsGoToTheLogTheCallbackAndTheWebhook() async throws {
        let receiver = try await WebhookReceiver(statuses: [])
        let received = Mutex<[BudgetAlert]>([])
        let logs = LogCapture()
        var usage = UsageConfiguration()
        usage.budgets = BudgetConfiguration(
            budgets: [
                Budget(
                    name: "daily", period: .daily, limit: Money(microdollars: 100), enforcement: .soft,
                    alertThresholds: [50, 100])
            ],
            webhookURL: receiver.url, onAlert: { alert in received.withLock { $0.append(alert) } })
        try await withSimulatedClient(logger: logs.logger(), usage: usage) {
            client, simulator in
            // gpt-4o-mini: 100 × 0.15 + 100 × 0.60 = 75 µ$ → 50 % crossed once.
            for _ in 0..<2 {
                simulator.enqueue(.text("a", usage: SimulatedUsage(inputTokens: 100, outputTokens: 100)), for: .openAI)
                _ = try await client.chat(ChatRequest(messages: [.user("q")], provider: .openAI, maxTokens: 50))
            }
        }
        #expect(received.withLock { $0.map(\.threshold) } == [50, 100])
        #expect(receiver.bodies.count == 2)
        #expect(logs.all.contains { $0.contains("budget alert") && $0.contains("reached 50%") })
        try await receiver.shutdown()
    }
}
