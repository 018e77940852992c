import Metrics
import MetricsTestKit
import Switchboard
import SwitchboardTesting
import Testing

/// The observe stage's metrics, and what abandoning a stream does to its connection.
@Suite struct ObservationTests {
    /// swift-metrics can be bootstrapped once per process; every test that reads metrics shares
    /// this and tells its requests apart by a model name of its own.
    static let metrics: TestMetrics = {
        let metrics = TestMetrics()
        MetricsSystem.bootstrap(metrics)
        return metrics
    }()

    static func dimensions(model: String) -> [(String, String)] {
        [("gen_ai.operation.name", "chat"), ("gen_ai.system", "openai"), ("gen_ai.request.model", model)]
    }

    @Test func requestsCountTimeAndTokens() async throws {
        let metrics = Self.metrics
        try await withSimulatedClient { client, simulator in
            simulator.enqueue(.text("ok", usage: SimulatedUsage(inputTokens: 11, outputTokens: 4)), for: .openAI)
            simulator.enqueue(.failure(status: 429), for: .openAI)
            let request = ChatRequest(messages: [.user("x")], model: "metrics-model-a", provider: .openAI)
            _ = try await client.chat(request)
            _ = try? await client.chat(request)
        }
        let dimensions = Self.dimensions(model: "metrics-model-a")
        #expect(
            try metrics.expectCounter("switchboard.requests", dimensions + [("outcome", "success")]).totalValue == 1)
        #expect(
            try metrics.expectCounter("switchboard.requests", dimensions + [("outcome", "rateLimited")]).totalValue == 1
        )
        let timer = try metrics.expectTimer("gen_ai.client.operation.duration", dimensions + [("outcome", "success")])
        #expect(timer.values.count == 1)
        #expect(timer.values.allSatisfy { $0 > 0 })
        let input = try metrics.expectRecorder(
            "gen_ai.client.token.usage", dimensions + [("gen_ai.token.type", "input")])
        #expect(input.values == [11])
    }

    @Test func streamsRecordTimeToFirstToken() async throws {
        let metrics = Self.metrics
        try await withSimulatedClient { client, simulator in
            simulator.enqueue(.text("streamed answer"), for: .openAI)
            let request = ChatRequest(messages: [.user("x")], model: "metrics-model-b", provider: .openAI)
            for try await _ in try await client.stream(request) {}
        }
        let dimensions = Self.dimensions(model: "metrics-model-b")
        #expect(try metrics.expectTimer("gen_ai.server.time_to_first_token", dimensions).values.count == 1)
        #expect(
            try metrics.expectCounter("switchboard.requests", dimensions + [("outcome", "success")]).totalValue == 1)
    }

    @Test func abandoningAStreamClosesItsConnection() async throws {
        let metrics = Self.metrics
        try await withSimulatedClient { client, simulator in
            var reply = SimulatedReply.text(String(repeating: "more ", count: 300))
            reply.chunkSize = 5
            simulator.enqueue(reply.with(.eventInterval(.milliseconds(20))), for: .openAI)
            let request = ChatRequest(messages: [.user("x")], model: "metrics-model-c", provider: .openAI)
            for try await event in try await client.stream(request) {
                if case .textDelta = event { break }
            }
            await simulator.waitForClientDisconnects(1)
            #expect(simulator.clientDisconnects == 1)
        }
        let dimensions = Self.dimensions(model: "metrics-model-c")
        #expect(
            try metrics.expectCounter("switchboard.requests", dimensions + [("outcome", "abandoned")]).totalValue == 1)
    }

    @Test func attemptsCircuitsCachedTokensAndCostAreMeasured() async throws {
        let metrics = Self.metrics
        try await withSimulatedClient(configure: { $0.routing = RoutingConfiguration() }) { client, simulator in
            // OpenAI on loopback counts as local; the external candidates are Anthropic, then Gemini.
            simulator.enqueue(.failure(status: 529), for: .anthropic)
            simulator.enqueue(.text("from gemini"), for: .gemini)
            _ = try await client.chat(
                ChatRequest(
                    messages: [.user("x")], model: "metrics-model-d",
                    metadata: RequestMetadata(taskType: .complexReasoning)))
            simulator.enqueue(
                .text("priced", usage: SimulatedUsage(inputTokens: 1000, outputTokens: 100, cachedInputTokens: 400)),
                for: .openAI)
            let priced = try await client.chat(
                ChatRequest(messages: [.user("x")], model: "o4-mini", provider: .openAI))
            let cost = try #require(priced.cost)
            let dimensions = [("gen_ai.system", "openai"), ("gen_ai.request.model", "o4-mini")]
            #expect(
                try metrics.expectCounter(
                    "switchboard.cost.nanodollars", [("gen_ai.operation.name", "chat")] + dimensions
                ).totalValue == cost.total.picodollars / 1000)
            #expect(
                try metrics.expectRecorder(
                    "gen_ai.client.token.usage",
                    [("gen_ai.operation.name", "chat")] + dimensions + [("gen_ai.token.type", "cache_read")]
                ).values == [400])
        }
        let anthropic = [("gen_ai.system", "anthropic"), ("gen_ai.request.model", "metrics-model-d")]
        let gemini = [("gen_ai.system", "gemini"), ("gen_ai.request.model", "metrics-model-d")]
        #expect(
            try metrics.expectCounter("switchboard.attempts", anthropic + [("outcome", "overloaded")]).totalValue == 1)
        #expect(try metrics.expectCounter("switchboard.attempts", gemini + [("outcome", "success")]).totalValue == 1)
        #expect(
            try metrics.expectTimer("switchboard.attempt.duration", gemini + [("outcome", "success")]).values.count
                == 1)
        #expect(try metrics.expectGauge("switchboard.circuit.state", anthropic).lastValue == 0)
    }

    @Test func budgetUseIsAGauge() async throws {
        let metrics = Self.metrics
        var usage = UsageConfiguration()
        usage.budgets.budgets = [Budget(name: "metrics-budget", period: .daily, limit: Money(dollars: 5))]
        let cost = try await withSimulatedClient(usage: usage) { client, simulator in
            simulator.enqueue(
                .text("priced", usage: SimulatedUsage(inputTokens: 2000, outputTokens: 300)), for: .openAI)
            let response = try await client.chat(
                ChatRequest(messages: [.user("x")], model: "gpt-4.1-nano", provider: .openAI, maxTokens: 500))
            return try #require(response.cost).total
        }
        let dimensions = [("budget", "metrics-budget"), ("period", "daily")]
        #expect(
            try metrics.expectGauge("switchboard.budget.spent_nanodollars", dimensions).lastValue
                == Double(cost.picodollars / 1000))
        #expect(
            try metrics.expectGauge("switchboard.budget.limit_nanodollars", dimensions).lastValue == 5_000_000_000)
    }
}
