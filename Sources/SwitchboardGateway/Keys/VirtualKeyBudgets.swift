import Switchboard
import Synchronization

/// Puts each virtual key's budget (``VirtualKey/budget``) into the client's budgets the first time the
/// key is seen by this process, counting what the usage ledger already holds for its period; from
/// then on the client's budget stage refuses the key's requests that would go over it.
final class VirtualKeyBudgets: Sendable {
    private let added = Mutex<Set<String>>([])

    func enforce(_ key: VirtualKey, on client: LLMClient) async throws {
        guard let budget = key.budget, !added.withLock({ $0.contains(budget.name) }) else { return }
        try await client.addBudget(budget)
        added.withLock { _ = $0.insert(budget.name) }
    }
}
