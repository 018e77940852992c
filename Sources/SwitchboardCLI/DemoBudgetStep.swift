import Logging
import Switchboard
import SwitchboardTesting
import Synchronization

/// The demo's budget step: the cost of each answer, an alert as a budget fills, and a request
/// refused by a hard budget before anything is sent — on a client of its own with one small budget.
struct DemoBudgetStep {
    let simulator: ProviderSimulator
    let output: TerminalOutput
    let logger: Logger

    func run(number: Int) async throws {
        output.write("\n" + output.bold(output.cyan("\(number). Cost, budgets and alerts")) + "\n")
        output.write(
            output.dim(
                "   UsageConfiguration(budgets: BudgetConfiguration(budgets: [Budget(name: \"demo\", limit: …)], onAlert: …))"
            )
                + "\n")
        let alerts = Mutex<[BudgetAlert]>([])
        var configuration = SwitchboardConfiguration(providers: [
            ProviderConfiguration(
                id: .openAI, kind: .openAI, apiKey: APIKey("sk-demo-key-not-real"),
                baseURL: simulator.baseURL(for: .openAI))
        ])
        let limit = Money(microdollars: 1000)
        configuration.usage.budgets = BudgetConfiguration(
            budgets: [
                Budget(name: "demo", period: .daily, limit: limit, enforcement: .hard, alertThresholds: [50, 75])
            ],
            onAlert: { alert in alerts.withLock { $0.append(alert) } })
        try await withLLMClient(configuration: configuration, logger: logger) { client in
            for (index, tokens) in [(1, 300), (2, 400)] {
                simulator.enqueue(
                    .text("Answer \(index).", usage: SimulatedUsage(inputTokens: 1200, outputTokens: tokens)),
                    for: .openAI)
                let response = try await client.chat(
                    ChatRequest(messages: [.user("Question \(index)")], provider: .openAI, maxTokens: 500))
                let cost = response.cost.map { $0.total.formatted() } ?? "unknown"
                output.write(
                    output.green("   openai") + output.dim(" · \(response.model)")
                        + "  \(response.usage?.totalInputTokens ?? 0) in / \(response.usage?.outputTokens ?? 0) out"
                        + " = \(output.bold(cost))\n")
                for alert in alerts.withLock({ state in
                    defer { state = [] }; return state
                }) {
                    output.write(output.yellow("   ⚑ alert: \(alert)") + "\n")
                }
            }
            do {
                _ = try await client.chat(
                    ChatRequest(messages: [.user("One more, long")], provider: .openAI, maxTokens: 4000))
            } catch let error as ProviderError where error.kind == .budgetExceeded {
                output.write(output.red("   ✗ refused before sending: ") + output.dim(error.message) + "\n")
            }
            if let status = client.budgets.statuses().first {
                output.write(
                    output.dim("   budget 'demo': spent \(status.spent) of \(status.budget.limit) today") + "\n")
            }
        }
    }
}
