import Foundation
import Logging
import Switchboard
import SwitchboardTesting
import Synchronization
import Testing

/// An in-process provider that answers every request with the worst case the budget stage reserved
/// for: input as estimated, output up to `maxTokens`. It checks, while requests run, that admitted
/// reservations and spending never exceed the budget.
private final class WorstCaseProvider: LanguageModelProvider {
    let id: ProviderID = .openAI
    let defaultModel: String? = "gpt-4o-mini"
    let estimator = CharacterRatioTokenEstimator()
    let book: Mutex<BudgetBook?> = Mutex(nil)
    let violations = Atomic<Int>(0)

    func complete(_ request: ChatRequest, logger: Logger) async throws -> ChatResponse {
        for _ in 0..<3 { await Task.yield() }
        if let book = book.withLock({ $0 }) {
            for status in book.statuses() where status.spent + status.reserved > status.budget.limit {
                violations.add(1, ordering: .relaxed)
            }
        }
        let usage = Usage(
            inputTokens: estimator.inputTokens(for: request, provider: id), outputTokens: request.maxTokens ?? 4096)
        return ChatResponse(
            message: .assistant("ok"), finishReason: .stop, usage: usage, provider: id,
            model: request.model ?? "gpt-4o-mini")
    }

    func stream(_ request: ChatRequest, logger: Logger) async throws -> ChatEventStream {
        let response = try await complete(request, logger: logger)
        return ChatEventStream(events: [
            .started(StreamStart(provider: id, model: response.model)), .textDelta("ok"),
            .usage(response.usage ?? .zero), .finish(StreamFinish(reason: .stop)),
        ])
    }

    func models(logger: Logger) async throws -> [ModelInfo] { [] }
}

@Suite(.timeLimit(.minutes(2))) struct BudgetTests {
    let start = Date(timeIntervalSince1970: 1_790_000_000)

    @Test func thousandConcurrentRequestsNeverOverspendOneDollar() async throws {
        let limit = Money(dollars: 1)
        let provider = WorstCaseProvider()
        let usage = UsageConfiguration(
            budgets: BudgetConfiguration(
                budgets: [Budget(name: "all", period: .total, limit: limit, alertThresholds: [])]))
        let client = LLMClient(providers: [provider], logger: Logger(label: "test"), usage: usage)
        let book = client.budgets
        provider.book.withLock { $0 = book }
        let random = JitterSource.seeded(1000)
        let maxTokens = (0..<1000).map { _ in 1 + Int(random.next() * 4000) }
        let results = await withTaskGroup(of: Result<Money, ProviderError>.self) { group in
            for (index, tokens) in maxTokens.enumerated() {
                group.addTask {
                    let request = ChatRequest(messages: [.user("request \(index)")], maxTokens: tokens)
                    do {
                        if index.isMultiple(of: 2) {
                            return .success(try await client.chat(request).cost?.total ?? .zero)
                        }
                        let finish = try await client.stream(request).collect()
                        return .success(finish.cost?.total ?? .zero)
                    } catch let error as ProviderError {
                        return .failure(error)
                    } catch {
                        return .failure(ProviderError(kind: .server, message: "\(error)"))
                    }
                }
            }
            var results: [Result<Money, ProviderError>] = []
            for await result in group { results.append(result) }
            return results
        }
        let admitted = results.compactMap { try? $0.get() }
        let refused = results.compactMap { if case .failure(let error) = $0 { error } else { nil } }
        let spent = admitted.reduce(Money.zero, +)
        // gpt-4o-mini, output up to 4000 × $0.60/M: $1.00 buys about 830 average requests, so some must be refused.
        #expect(admitted.count > 500 && !refused.isEmpty)
        #expect(refused.allSatisfy { $0.kind == .budgetExceeded })
        #expect(spent <= limit)
        let status = try #require(book.statuses().first)
        #expect(status.spent == spent)
        #expect(status.reserved == .zero)
        #expect(provider.violations.load(ordering: .relaxed) == 0)
        // The budget was used, not refused wholesale: what is left is less than a few requests' worst case.
        #expect(spent > Money(dollars: Decimal(string: "0.95")!))
        try await client.shutdown()
    }

    @Test func hardBudgetRefusesWithTheBudgetAndAmountsSoftOneAllowsAndAlerts() async throws {
        let alerts = Mutex<[BudgetAlert]>([])
        try await withSimulatedClient(
            usage: UsageConfiguration(
                budgets: BudgetConfiguration(
                    budgets: [
                        Budget(
                            name: "search-daily", scope: .feature("search"), period: .daily,
                            limit: Money(microdollars: 500), enforcement: .hard),
                        Budget(
                            name: "openai-soft", scope: .provider(.openAI), period: .daily,
                            limit: Money(microdollars: 100), enforcement: .soft, alertThresholds: [50, 100]),
                    ],
                    onAlert: { alert in alerts.withLock { $0.append(alert) } }))
        ) { client, simulator in
            // Worst case at gpt-4o-mini: ~10 input tokens × $0.15/M + 100 × $0.60/M ≈ 61.5 µ$ — fits both.
            simulator.enqueue(.text("a", usage: SimulatedUsage(inputTokens: 100, outputTokens: 100)), for: .openAI)
            let search = RequestMetadata(feature: "search")
            let first = try await client.chat(
                ChatRequest(messages: [.user("q")], provider: .openAI, maxTokens: 100, metadata: search))
            // 100 × 0.15 + 100 × 0.60 = 75 µ$: the soft budget (100 µ$) passed 50 %, not 100 %.
            #expect(first.cost?.total == Money(microdollars: 75))
            #expect(alerts.withLock { $0.map(\.threshold) } == [50])

            // Worst case 1000 output tokens × 0.60 = 600 µ$ > 500 − 75 left: refused, nothing sent.
            let before = simulator.requests(for: .openAI).count
            let error = await #expect(throws: ProviderError.self) {
                _ = try await client.chat(
                    ChatRequest(messages: [.user("q")], provider: .openAI, maxTokens: 1000, metadata: search))
            }
            #expect(error?.kind == .budgetExceeded)
            #expect(error?.message.contains("budget 'search-daily'") == true)
            #expect(error?.message.contains("spent $0.000075") == true)
            #expect(error?.message.contains("limit $0.000500") == true)
            #expect(simulator.requests(for: .openAI).count == before)

            // Outside the feature the soft budget lets it through and alerts at 100 % once.
            for _ in 0..<2 {
                simulator.enqueue(.text("b", usage: SimulatedUsage(inputTokens: 100, outputTokens: 100)), for: .openAI)
                _ = try await client.chat(ChatRequest(messages: [.user("q")], provider: .openAI, maxTokens: 1000))
            }
            #expect(alerts.withLock { $0.map(\.threshold) } == [50, 100])
            let limits = client.usage().checkLimits(.openAI)
            #expect(!limits.withinLimits)
            #expect(limits.reasons.first?.contains("openai-soft") == true)
        }
    }

    @Test func cheaperCandidateIsChosenWhenThePreferredModelWouldNotFit() async throws {
        var routing = RoutingConfiguration()
        var rule = routing.rule(for: .complexReasoning)
        rule.preferredModels = [ModelReference("openai/gpt-4o"), ModelReference("openai/gpt-4o-mini")]
        routing.rules[.complexReasoning] = rule
        try await ProviderSimulator.withSimulator { simulator in
            var configuration = SwitchboardConfiguration(providers: [
                ProviderConfiguration(
                    id: .openAI, kind: .openAI, apiKey: APIKey(testOpenAIKey), baseURL: simulator.baseURL(for: .openAI))
            ])
            configuration.routing = routing
            // gpt-4o worst case for 1000 output tokens: ≥ 10,000 µ$; gpt-4o-mini: ~600 µ$.
            configuration.usage.budgets = BudgetConfiguration(budgets: [
                Budget(name: "tight", period: .daily, limit: Money(microdollars: 2000))
            ])
            try await withLLMClient(configuration: configuration) { client in
                simulator.enqueue(
                    .text("cheap", usage: SimulatedUsage(inputTokens: 10, outputTokens: 10)), for: .openAI)
                let response = try await client.chat(
                    ChatRequest(
                        messages: [.user("think hard")], maxTokens: 1000,
                        metadata: RequestMetadata(taskType: .complexReasoning)))
                #expect(response.model == "gpt-4o-mini")
                let body = try #require(simulator.requests(for: .openAI).last?.json)
                #expect(body["model"] == "gpt-4o-mini")
            }
        }
    }

    @Test func unknownPriceIsRefusedByAHardBudgetNotCountedAsFree() {
        let book = BudgetBook(budgets: [Budget(name: "all", limit: Money(dollars: 5))])
        let subject = BudgetSubject(provider: "local-vllm", model: "mystery")
        guard case .failure(let refusal) = book.reserve(nil, for: subject) else {
            Issue.record("an unknown cost was admitted")
            return
        }
        #expect(refusal.refusal.message.contains("price is unknown"))
    }

    @Test func alertsFireOncePerThresholdPerPeriodAndPeriodsRollInTheConfiguredTimeZone() throws {
        let now = TestNow(Date(timeIntervalSince1970: 1_790_000_000))
        let book = BudgetBook(
            budgets: [
                Budget(name: "day", period: .daily, limit: Money(microdollars: 100), alertThresholds: [50, 80, 100])
            ],
            calendar: PeriodCalendar(timeZone: try #require(TimeZone(identifier: "Asia/Tokyo"))),
            clock: WallClock(now.closure))
        let subject = BudgetSubject(provider: .openAI, model: "gpt-4o")
        func spend(_ microdollars: Int64) throws -> [Int] {
            guard case .success(let reservation) = book.reserve(Money(microdollars: microdollars), for: subject) else {
                throw ProviderError(kind: .budgetExceeded, message: "refused")
            }
            return book.settle(reservation, actualCost: Money(microdollars: microdollars)).map(\.threshold)
        }
        #expect(try spend(40) == [])
        #expect(try spend(45) == [50, 80])
        #expect(try spend(10) == [])
        #expect(throws: ProviderError.self) { try spend(20) }
        #expect(try spend(5) == [100])
        #expect(try spend(0) == [])
        now.advance(by: 24 * 3600)
        #expect(book.statuses().first?.spent == .zero)
        #expect(try spend(60) == [50])
    }
}
