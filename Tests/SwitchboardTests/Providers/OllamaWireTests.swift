import Foundation
import Logging
import Switchboard
import SwitchboardTesting
import Testing

/// What the Ollama adapter puts on the wire and how it reads Ollama's answers (wire reference §5).
@Suite struct OllamaWireTests {
    @Test func firstTokenArrivesBeforeTheBodyEnds() async throws {
        try await withSimulatedClient { client, simulator in
            let gate = SimulatorGate()
            var reply = SimulatedReply.text("first then the rest of a long answer")
            reply.chunkSize = 6
            simulator.enqueue(reply.with(.holdAfterEvents(1, gate)), for: .ollama)
            var iterator = try await client.stream(ChatRequest(messages: [.user("x")], provider: .ollama))
                .makeAsyncIterator()
            var firstText: String?
            while firstText == nil, let event = try await iterator.next() {
                if case .textDelta(let text) = event { firstText = text }
            }
            // The simulator still holds the rest of the body: the first token came on its own.
            #expect(firstText == "first ")
            gate.open()
            var rest = ""
            var finish: StreamFinish?
            while let event = try await iterator.next() {
                if case .textDelta(let text) = event { rest += text }
                if case .finish(let value) = event { finish = value }
            }
            #expect(rest == "then the rest of a long answer")
            #expect(finish?.reason == .stop)
            let performance = try #require(finish?.performance)
            #expect((performance.generationTokensPerSecond ?? 0) > 0)
        }
    }

    @Test func requestBodyCarriesOptionsFormatImagesAndTools() async throws {
        try await withSimulatedClient { client, simulator in
            let tool = ToolDefinition(name: "lookup", parameters: ["type": "object", "properties": [:]])
            _ = try await client.chat(
                ChatRequest(
                    messages: [
                        .system("sys"), .user([.text("see"), .image(.url("data:image/png;base64,aGVsbG8="))]),
                        .assistant("", toolCalls: [ToolCall(id: "t1", name: "lookup", arguments: #"{"q":1}"#)]),
                        .tool(callID: "t1", "found"),
                    ], model: "llama3.2", provider: .ollama, tools: [tool], responseFormat: .json, maxTokens: 64,
                    temperature: 0.1, topP: 0.8, topK: 40, stopSequences: ["</s>"], seed: 9))
            let request = try #require(simulator.requests(for: .ollama).last)
            #expect(request.pathWithoutQuery == "/api/chat")
            let body = try #require(request.json)
            #expect(body["stream"] == false)
            #expect(body["format"] == "json")
            #expect(body["keep_alive"] == "10m")
            #expect(
                body["options"] == [
                    "num_predict": 64, "temperature": 0.1, "top_p": 0.8, "top_k": 40, "stop": ["</s>"], "seed": 9,
                    "num_ctx": 4096,
                    "num_thread": 2,
                ])
            #expect(
                body["messages"] == [
                    ["role": "system", "content": "sys"],
                    ["role": "user", "content": "see", "images": ["aGVsbG8="]],
                    [
                        "role": "assistant", "content": "",
                        "tool_calls": [["id": "t1", "function": ["name": "lookup", "arguments": ["q": 1]]]],
                    ],
                    ["role": "tool", "content": "found", "tool_call_id": "t1", "tool_name": "lookup"],
                ])
            #expect(
                body["tools"] == [["type": "function", "function": ["name": "lookup", "parameters": tool.parameters]]])
        }
    }

    @Test func withoutAModelTheFirstInstalledChatModelAnswers() async throws {
        try await withSimulatedClient { client, simulator in
            let response = try await client.chat(ChatRequest(messages: [.user("x")], provider: .ollama))
            #expect(response.model == "llama3.2:latest")
            #expect(response.performance != nil)
            let embedding = try await client.embed(EmbeddingRequest(inputs: ["a", "b"], provider: .ollama))
            #expect(embedding.model.hasPrefix("nomic-embed-text"))
            #expect(embedding.embeddings.count == 2)
        }
    }

    @Test func thePickedModelIsLookedUpOnceAndAgainWhenItDisappears() async throws {
        try await withSimulatedClient { client, simulator in
            func tagLookups() -> Int {
                simulator.requests(for: .ollama).filter { $0.pathWithoutQuery == "/api/tags" }.count
            }
            let request = ChatRequest(messages: [.user("x")], provider: .ollama)
            _ = try await client.chat(request)
            _ = try await client.chat(request)
            #expect(tagLookups() == 1)
            simulator.setModels(["qwen2.5:0.5b"], for: .ollama)
            await #expect(throws: ProviderError.self) { _ = try await client.chat(request) }
            let next = try await client.chat(request)
            #expect(next.model == "qwen2.5:0.5b")
            #expect(tagLookups() == 2)
        }
    }

    @Test func unknownModelIsNotFoundWithAHint() async throws {
        try await withSimulatedClient { client, simulator in
            let error = await #expect(throws: ProviderError.self) {
                _ = try await client.chat(ChatRequest(messages: [.user("x")], model: "nope", provider: .ollama))
            }
            #expect(error?.kind == .notFound)
            #expect(error?.status == 404)
            #expect(error?.message.contains("switchboard local pull") == true)
        }
    }

    @Test func busyIsOverloaded() async throws {
        try await withSimulatedClient { client, simulator in
            simulator.enqueue(.failure(status: 503), for: .ollama)
            let error = await #expect(throws: ProviderError.self) {
                _ = try await client.chat(ChatRequest(messages: [.user("x")], provider: .ollama))
            }
            #expect(error?.kind == .overloaded)
            #expect(error?.isRetryable == true)
        }
    }

    @Test func notRunningSaysHowToStartIt() async throws {
        let port = try await closedPort()
        let transport = HTTPTransport()
        let provider = OllamaProvider(
            configuration: try OllamaConfiguration(host: "127.0.0.1:\(port)", defaultModel: "llama3.2"),
            transport: transport)
        let error = await #expect(throws: ProviderError.self) {
            _ = try await provider.complete(ChatRequest(messages: [.user("x")]), logger: Logger(label: "t"))
        }
        try await transport.shutdown()
        #expect(error?.kind == .network)
        #expect(error?.message.contains("ollama serve") == true)
        #expect(error?.message.contains("127.0.0.1:\(port)") == true)
    }

    @Test func webImageURLsAreRefusedBeforeSending() async throws {
        try await withSimulatedClient { client, simulator in
            let error = await #expect(throws: ProviderError.self) {
                _ = try await client.chat(
                    ChatRequest(
                        messages: [.user([.image(.url("https://example.com/cat.png"))])], model: "llava",
                        provider: .ollama))
            }
            #expect(error?.kind == .invalidRequest)
            #expect(simulator.requests(for: .ollama).isEmpty)
        }
    }
}
