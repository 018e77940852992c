import Foundation
import Testing

@testable import Switchboard

@Suite struct TaskRouterTests {
    static let providers: [TaskRouter.Provider] = [
        .init(id: .openAI, locality: .external, defaultModel: "gpt-4o-mini"),
        .init(id: .anthropic, locality: .external, defaultModel: "claude-haiku-4-5"),
        .init(id: .ollama, locality: .local, defaultModel: nil),
    ]

    static func request(
        _ text: String, task: TaskType? = nil, sensitivity: Sensitivity = .normal, provider: ProviderID? = nil
    )
        -> ChatRequest
    {
        ChatRequest(
            messages: [.user(text)], provider: provider,
            metadata: RequestMetadata(taskType: task, sensitivity: sensitivity))
    }

    static func order(_ plan: RoutingPlan) -> [String] { plan.candidates.map(\.reference.provider.rawValue) }

    @Test func defaultRulesFollowTheSeed() throws {
        let router = TaskRouter(providers: Self.providers)
        #expect(
            Self.order(try router.plan(for: Self.request("hi", task: .simpleGeneration))) == [
                "ollama", "openai", "anthropic",
            ])
        #expect(
            Self.order(try router.plan(for: Self.request("hi", task: .complexReasoning))) == [
                "openai", "anthropic", "ollama",
            ])
        #expect(
            Self.order(try router.plan(for: Self.request("hi", task: .creativeWriting))) == [
                "openai", "anthropic", "ollama",
            ])
        let sensitive = try router.plan(for: Self.request("hi", task: .sensitiveData))
        #expect(Self.order(sensitive) == ["ollama"])
        #expect(sensitive.skipped.map(\.reference.provider) == [.openAI, .anthropic])
    }

    @Test func heuristicClassifiesRequestsWithoutATaskType() throws {
        let router = TaskRouter(providers: Self.providers)
        let simple = try router.plan(for: Self.request("What is the capital of France?"))
        #expect(simple.taskType == .simpleGeneration)
        let complex = try router.plan(for: Self.request("Explain why the proof fails, step by step."))
        #expect(complex.taskType == .complexReasoning)
        #expect(complex.taskReason.contains("step by step"))
        let long = try router.plan(for: Self.request(String(repeating: "word ", count: 500)))
        #expect(long.taskType == .complexReasoning)
        var withTools = Self.request("hi")
        withTools.tools = [ToolDefinition(name: "t", parameters: ["type": "object"])]
        #expect(try router.plan(for: withTools).taskType == .complexReasoning)
    }

    @Test func sensitiveRequestsNeverPlanExternalProviders() throws {
        let router = TaskRouter(providers: Self.providers)
        let plan = try router.plan(for: Self.request("my data", task: .creativeWriting, sensitivity: .sensitive))
        #expect(Self.order(plan) == ["ollama"])
        #expect(plan.sensitivity == "marked sensitive by the caller")
    }

    @Test func sensitiveWithoutALocalProviderFailsSayingWhy() {
        let router = TaskRouter(providers: Array(Self.providers.prefix(2)))
        #expect {
            try router.plan(for: Self.request("x", sensitivity: .sensitive))
        } throws: { error in
            guard let error = error as? ProviderError else { return false }
            return error.kind == .noRoute && error.message.contains("no local provider")
                && error.message.contains("openai")
        }
    }

    @Test func pinningBypassesRoutingButNeverPrivacy() throws {
        let router = TaskRouter(providers: Self.providers)
        let pinned = try router.plan(for: Self.request("hi", task: .simpleGeneration, provider: .anthropic))
        #expect(Self.order(pinned) == ["anthropic"])
        #expect {
            try router.plan(for: Self.request("hi", sensitivity: .sensitive, provider: .openAI))
        } throws: { ($0 as? ProviderError)?.kind == .noRoute }
        #expect(
            Self.order(try router.plan(for: Self.request("hi", sensitivity: .sensitive, provider: .ollama))) == [
                "ollama"
            ])
    }

    @Test func classifierMarksRequestsSensitiveWhenTurnedOn() throws {
        let check: @Sendable (ChatRequest) -> String? = { request in
            request.messages.contains { $0.text.contains("@") } ? "an e-mail address in message 0" : nil
        }
        let off = TaskRouter(providers: Self.providers, sensitivityCheck: check)
        #expect(try off.plan(for: Self.request("mail bob@example.com", task: .complexReasoning)).sensitivity == nil)
        let on = TaskRouter(
            providers: Self.providers, configuration: RoutingConfiguration(classifiesSensitivity: true),
            sensitivityCheck: check)
        let plan = try on.plan(for: Self.request("mail bob@example.com", task: .complexReasoning))
        #expect(plan.sensitivity == "an e-mail address in message 0")
        #expect(Self.order(plan) == ["ollama"])
    }

    @Test func downDisabledSlowAndExpensiveProvidersAreSkippedWithReasons() throws {
        let controls = ProviderControls()
        controls.disable(.anthropic)
        let latency = LatencyTracker()
        latency.record(ModelReference(provider: .openAI), timeToFirstToken: nil, total: .seconds(9))
        var rules = RoutingConfiguration.defaultRules
        rules[.complexReasoning] = TaskRule(
            localities: [.external, .local], maxPricePerMillionTokens: 5, maxLatency: .seconds(5))
        let router = TaskRouter(
            providers: Self.providers + [.init(id: .gemini, locality: .external, defaultModel: nil)],
            configuration: RoutingConfiguration(rules: rules, prices: [ModelReference(provider: .gemini): 12]),
            controls: controls, latency: latency, isDown: { $0 == .ollama })
        #expect {
            try router.plan(for: Self.request("hard", task: .complexReasoning))
        } throws: { error in
            let message = (error as? ProviderError)?.message ?? ""
            return message.contains("openai: average latency 9s is over 5s") && message.contains("anthropic: disabled")
                && message.contains("gemini: price 12 per million tokens is over 5")
                && message.contains("ollama: down (health check)")
        }
        controls.enable(.anthropic)
        #expect(Self.order(try router.plan(for: Self.request("hard", task: .complexReasoning))) == ["anthropic"])
    }

    @Test func preferredModelsComeFirstAndDefaultProviderLeadsItsLocality() throws {
        var rules = RoutingConfiguration.defaultRules
        rules[.creativeWriting] = TaskRule(
            localities: [.external], preferredModels: [ModelReference("anthropic/claude-sonnet-4-5")])
        let router = TaskRouter(
            providers: Self.providers, configuration: RoutingConfiguration(rules: rules), defaultProvider: .anthropic)
        let plan = try router.plan(for: Self.request("a poem", task: .creativeWriting))
        #expect(plan.candidates.map(\.reference.description) == ["anthropic/claude-sonnet-4-5", "anthropic", "openai"])
        let simple = try router.plan(for: Self.request("hi", task: .simpleGeneration))
        #expect(Self.order(simple) == ["ollama", "anthropic", "openai"])
    }
}
