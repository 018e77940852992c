import Foundation
import Switchboard
import SwitchboardTesting
import Testing

/// Budgets read what the ledger already spent this period, so a restart does not reset them.
@Suite struct BudgetRestartTests {
    @Test func aRestartedClientCountsTheLedgersSpending() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var usage = UsageConfiguration(ledger: .sqlite, ledgerPath: directory.path + "/usage.sqlite")
        usage.budgets.budgets = [Budget(name: "daily", period: .daily, limit: Money(dollars: 1))]
        let request = ChatRequest(messages: [.user("x")], model: "gpt-4o-mini", provider: .openAI, maxTokens: 100)
        let first = try await withSimulatedClient(usage: usage) { client, simulator in
            simulator.enqueue(.text("one", usage: SimulatedUsage(inputTokens: 4000, outputTokens: 90)), for: .openAI)
            return try #require(try await client.chat(request).cost).total
        }
        #expect(first > .zero)
        let spentAfterRestart = try await withSimulatedClient(usage: usage) { client, simulator in
            simulator.enqueue(.text("two", usage: SimulatedUsage(inputTokens: 10, outputTokens: 5)), for: .openAI)
            let second = try #require(try await client.chat(request).cost).total
            let status = try #require(client.budgets?.statuses().first)
            return (status.spent, second)
        }
        #expect(spentAfterRestart.0 == first + spentAfterRestart.1)
    }
}
