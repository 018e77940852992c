import Foundation
import Logging
import Switchboard
import SwitchboardTesting
import Testing

@Suite struct LLMClientTests {
    @Test func generateTextUsesTheDefaultProvider() async throws {
        try await withSimulatedClient { client, simulator in
            simulator.enqueue(.text("Hi from OpenAI."), for: .openAI)
            let text = try await client.generateText("hello")
            #expect(text == "Hi from OpenAI.")
            #expect(simulator.requests(for: .anthropic).isEmpty)
        }
    }

    @Test func generateStreamYieldsTextPieces() async throws {
        try await withSimulatedClient { client, simulator in
            var reply = SimulatedReply.text("one two three four")
            reply.chunkSize = 4
            simulator.enqueue(reply, for: .anthropic)
            var pieces: [String] = []
            for try await piece in client.generateStream("count", options: .init(provider: .anthropic)) {
                pieces.append(piece)
            }
            #expect(pieces.count > 1)
            #expect(pieces.joined() == "one two three four")
        }
    }

    @Test func generateStreamSendsNothingUntilIterated() async throws {
        try await withSimulatedClient { client, simulator in
            let stream = client.generateStream("streamed later", options: .init(provider: .openAI))
            // A whole round trip first: a stream that sent eagerly would have arrived before it.
            _ = try await client.generateText("first", options: .init(provider: .openAI))
            #expect(simulator.requests.count == 1)
            for try await _ in stream {}
            #expect(simulator.requests.count == 2)
            #expect(simulator.requests.last?.bodyText.contains("streamed later") == true)
        }
    }

    @Test func optionsReachTheRequest() async throws {
        try await withSimulatedClient { client, simulator in
            _ = try await client.generateText(
                "q",
                options: GenerationOptions(
                    maxTokens: 9, temperature: 0.25, model: "claude-x", stopSequences: ["##"], provider: .anthropic,
                    system: "terse"))
            let body = try #require(simulator.requests(for: .anthropic).last?.json)
            #expect(body["max_tokens"] == 9)
            #expect(body["temperature"] == 0.25)
            #expect(body["model"] == "claude-x")
            #expect(body["stop_sequences"] == ["##"])
            #expect(body["system"] == "terse")
        }
    }

    @Test func usageCountsRequestsTokensAndFailures() async throws {
        try await withSimulatedClient { client, simulator in
            simulator.enqueue(.text("a", usage: SimulatedUsage(inputTokens: 10, outputTokens: 2)), for: .openAI)
            simulator.enqueue(
                .text("b", usage: SimulatedUsage(inputTokens: 5, outputTokens: 3, cachedInputTokens: 7)),
                for: .anthropic)
            simulator.enqueue(.failure(status: 500), for: .openAI)
            _ = try await client.chat(ChatRequest(messages: [.user("1")], provider: .openAI))
            _ = try await client.stream(ChatRequest(messages: [.user("2")], provider: .anthropic)).collect()
            _ = try? await client.chat(ChatRequest(messages: [.user("3")], provider: .openAI))
            let usage = client.usage().total(period: .daily)
            #expect(usage.totalRequests == 3)
            #expect(usage.failedRequests == 1)
            #expect(usage.usage == Usage(inputTokens: 15, cacheReadTokens: 7, outputTokens: 5))
            #expect(client.usage().stats(for: .openAI).totalRequests == 2)
            #expect(client.usage().stats(for: .anthropic, period: .monthly).usage.cacheReadTokens == 7)
        }
    }

    @Test func brokenStreamStillCountsItsPartialUsage() async throws {
        try await withSimulatedClient { client, simulator in
            var reply = SimulatedReply.text(
                "a long answer that breaks", usage: SimulatedUsage(inputTokens: 21, outputTokens: 9))
            reply.chunkSize = 2
            simulator.enqueue(reply.with(.cutStream(afterEvents: 6)), for: .anthropic)
            await #expect(throws: ProviderError.self) {
                for try await _ in try await client.stream(ChatRequest(messages: [.user("x")], provider: .anthropic)) {}
            }
            let usage = client.usage().total(period: .daily)
            #expect(usage.failedRequests == 1)
            #expect(usage.usage.inputTokens == 21)
        }
    }

    @Test func unknownProviderIsNotConfigured() async throws {
        try await withSimulatedClient { client, simulator in
            let error = await #expect(throws: ProviderError.self) {
                _ = try await client.chat(ChatRequest(messages: [.user("x")], provider: "mistral"))
            }
            #expect(error?.kind == .notConfigured)
            #expect(error?.message.contains("openai, anthropic, gemini, ollama") == true)
            #expect(simulator.requests.isEmpty)
        }
    }

    @Test func noProviderAtAllSaysWhatToSet() async throws {
        let client = LLMClient(providers: [])
        let error = await #expect(throws: ProviderError.self) { _ = try await client.generateText("x") }
        #expect(error?.kind == .notConfigured)
        #expect(error?.message.contains("OPENAI_API_KEY") == true)
        #expect(error?.message.contains("ANTHROPIC_API_KEY") == true)
    }

    @Test func modelsOfAllProviders() async throws {
        try await withSimulatedClient { client, simulator in
            simulator.setModels(["gpt-a"], for: .openAI)
            simulator.setModels(["claude-b"], for: .anthropic)
            simulator.setModels(["gemini-c"], for: .gemini)
            simulator.setModels(["llama-d"], for: .ollama)
            let models = try await client.models()
            #expect(models.map(\.id) == ["gpt-a", "claude-b", "gemini-c", "llama-d:latest"])
            #expect(models.map(\.provider) == [.openAI, .anthropic, .gemini, .ollama])
        }
    }

    @Test func logLineHasOutcomeButNoPromptAnswerOrKey() async throws {
        let capture = LogCapture()
        try await withSimulatedClient(logger: capture.logger()) { client, simulator in
            simulator.enqueue(.text("SECRET-ANSWER-TEXT"), for: .openAI)
            simulator.enqueue(.failure(status: 401, message: "bad key \(testOpenAIKey)"), for: .openAI)
            _ = try await client.generateText("SECRET-PROMPT-TEXT")
            _ = try? await client.generateText("again")
        }
        let lines = capture.all.filter { $0.contains("chat request") }
        #expect(lines.count == 2)
        #expect(lines[0].contains("outcome=success"))
        #expect(lines[0].contains("provider=openai"))
        #expect(lines[0].contains("request_id="))
        #expect(lines[1].contains("outcome=authentication"))
        let everything = capture.all.joined(separator: "\n")
        #expect(!everything.contains("SECRET-PROMPT-TEXT"))
        #expect(!everything.contains("SECRET-ANSWER-TEXT"))
        #expect(!everything.contains(testOpenAIKey))
    }

    @Test func customStageSeesEveryRequest() async throws {
        struct Tagging: ChatMiddleware {
            func complete(
                _ request: ChatRequest, context: RequestContext, next: ChatHandler
            ) async throws -> ChatResponse {
                var request = request
                request.messages.insert(.system("added by a stage"), at: 0)
                return try await next(request, context)
            }
        }
        try await withSimulatedClient(stages: [Tagging()]) { client, simulator in
            _ = try await client.generateText("x")
            let body = try #require(simulator.requests.last?.json)
            #expect(body.containsString("added by a stage"))
        }
    }
}
