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
            let status = try #require(client.budgets.statuses().first)
            return (status.spent, second)
        }
        #expect(spentAfterRestart.0 == first + spentAfterRestart.1)
    }

    @Test func aBudgetAddedWhileRunningCountsItsComponentsSpendingInTheLedger() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let usage = UsageConfiguration(ledger: .sqlite, ledgerPath: directory.path + "/usage.sqlite")
        var request = ChatRequest(messages: [.user("x")], model: "gpt-4o-mini", provider: .openAI, maxTokens: 100)
        request.metadata.component = "billing"
        var other = request
        other.metadata.component = "search"
        let billingCost = try await withSimulatedClient(usage: usage) { client, simulator in
            simulator.enqueue(.text("one", usage: SimulatedUsage(inputTokens: 4000, outputTokens: 90)), for: .openAI)
            simulator.enqueue(.text("two", usage: SimulatedUsage(inputTokens: 9000, outputTokens: 90)), for: .openAI)
            let cost = try #require(try await client.chat(request).cost).total
            _ = try await client.chat(other)
            return cost
        }
        try await withSimulatedClient(usage: usage) { client, simulator in
            #expect(client.budgets.isEmpty)
            // Just over what billing spent before the restart, and below what one more request could cost.
            let budget = Budget(
                name: "billing", scope: .component("billing"), period: .monthly,
                limit: billingCost + Money(microdollars: 1))
            #expect(try await client.addBudget(budget))
            #expect(try await client.addBudget(budget) == false)
            let status = try #require(client.budgets.statuses().first)
            #expect(status.spent == billingCost)
            await #expect(throws: ProviderError.self) { _ = try await client.chat(request) }
            simulator.enqueue(.text("ok"), for: .openAI)
            _ = try await client.chat(other)
            #expect(simulator.requests(for: .openAI).count == 1)
        }
    }
}
