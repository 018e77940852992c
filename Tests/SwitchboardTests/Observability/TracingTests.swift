import InMemoryTracing
import SwitchboardTesting
import Testing
import Tracing

@testable import Switchboard

/// Spans per request, per attempt and per HTTP call, with GenAI attributes and the trace context
/// sent to the provider.
@Suite struct TracingTests {
    static func string(_ span: FinishedInMemorySpan, _ key: String) -> String? {
        if case .string(let value)? = span.attributes.get(key)?.toSpanAttribute() { return value }
        return nil
    }

    static func int(_ span: FinishedInMemorySpan, _ key: String) -> Int64? {
        if case .int64(let value)? = span.attributes.get(key)?.toSpanAttribute() { return value }
        return nil
    }

    @Test func aSuccessIsOneRequestSpanWithAnAttemptAndAnHTTPChild() async throws {
        let tracer = InMemoryTracer()
        try await withSimulatedClient(tracer: tracer) { client, simulator in
            simulator.enqueue(.text("ok", usage: SimulatedUsage(inputTokens: 12, outputTokens: 3)), for: .openAI)
            _ = try await client.chat(ChatRequest(messages: [.user("x")], model: "gpt-4o-mini", provider: .openAI))
            let spans = tracer.finishedSpans
            let chat = try #require(spans.first { $0.operationName == "chat gpt-4o-mini" })
            #expect(chat.kind == .client)
            #expect(chat.parentSpanID == nil)
            #expect(Self.string(chat, "gen_ai.operation.name") == "chat")
            #expect(Self.string(chat, "gen_ai.system") == "openai")
            #expect(Self.int(chat, "gen_ai.usage.input_tokens") == 12)
            #expect(Self.int(chat, "gen_ai.usage.output_tokens") == 3)
            #expect(Self.int(chat, "switchboard.attempts") == 1)
            let attempt = try #require(spans.first { $0.operationName == "attempt openai/gpt-4o-mini" })
            #expect(attempt.parentSpanID == chat.spanID)
            #expect(attempt.traceID == chat.traceID)
            let http = try #require(spans.first { $0.operationName == "POST" })
            #expect(http.parentSpanID == attempt.spanID)
            // The HTTP span's context went out with the request, so the provider can join the trace.
            let sent = try #require(simulator.requests(for: .openAI).last)
            #expect(sent.header(InMemoryTracer.traceIDKey) == chat.traceID)
            #expect(sent.header(InMemoryTracer.spanIDKey) == http.spanID)
        }
    }

    @Test func aFallbackHasAnErroredAttemptSpanThenASuccessfulOne() async throws {
        let tracer = InMemoryTracer()
        try await withSimulatedClient(tracer: tracer, configure: { $0.routing = RoutingConfiguration() }) {
            client, simulator in
            // OpenAI on loopback counts as local; the external candidates are Anthropic, then Gemini.
            simulator.enqueue(.failure(status: 529), for: .anthropic)
            simulator.enqueue(.text("from gemini"), for: .gemini)
            let request = ChatRequest(
                messages: [.user("x")], metadata: RequestMetadata(taskType: .complexReasoning))
            let response = try await client.chat(request)
            #expect(response.provider == .gemini)
            let spans = tracer.finishedSpans
            let chat = try #require(spans.first { $0.operationName.hasPrefix("chat ") })
            #expect(Self.string(chat, "gen_ai.system") == "gemini")
            #expect(Self.int(chat, "switchboard.attempts") == 2)
            let attempts = spans.filter { $0.operationName.hasPrefix("attempt ") }
            #expect(attempts.map { Self.string($0, "gen_ai.system") } == ["anthropic", "gemini"])
            #expect(attempts.allSatisfy { $0.parentSpanID == chat.spanID })
            #expect(Self.string(attempts[0], "error.type") == "overloaded")
            #expect(attempts[0].status?.code == .error)
            #expect(Self.string(attempts[1], "error.type") == nil)
        }
    }

    @Test func anErrorMarksTheRequestSpan() async throws {
        let tracer = InMemoryTracer()
        try await withSimulatedClient(tracer: tracer) { client, simulator in
            simulator.enqueue(.failure(status: 400), for: .openAI)
            _ = try? await client.chat(ChatRequest(messages: [.user("x")], provider: .openAI))
            let chat = try #require(tracer.finishedSpans.first { $0.operationName.hasPrefix("chat ") })
            #expect(Self.string(chat, "error.type") == "invalidRequest")
            #expect(chat.status?.code == .error)
            #expect(chat.errors.count == 1)
            #expect(!String(describing: chat.errors).contains(testOpenAIKey))
        }
    }

    @Test func aStreamsSpanEndsWithTheStream() async throws {
        let tracer = InMemoryTracer()
        try await withSimulatedClient(tracer: tracer) { client, simulator in
            simulator.enqueue(
                .text("a streamed answer", usage: SimulatedUsage(inputTokens: 5, outputTokens: 4)), for: .anthropic)
            let stream = try await client.stream(ChatRequest(messages: [.user("x")], provider: .anthropic))
            #expect(!tracer.finishedSpans.contains { $0.operationName.hasPrefix("chat ") })
            for try await _ in stream {}
            let chat = try #require(tracer.finishedSpans.first { $0.operationName.hasPrefix("chat ") })
            #expect(Self.string(chat, "gen_ai.system") == "anthropic")
            #expect(Self.int(chat, "gen_ai.usage.output_tokens") == 4)
        }
    }

    /// Without a tracer there is no tracing stage to pass through; with one there is.
    @Test func theTracingStageIsLeftOutWithoutATracer() {
        #expect(TracingStage.stages(for: NoOpTracer()).isEmpty)
        #expect(TracingStage.stages(for: InMemoryTracer()).count == 1)
        #expect(activeTracer(nil) == nil && activeTracer(NoOpTracer()) == nil)
        #expect(activeTracer(InMemoryTracer()) is InMemoryTracer)
    }
}
