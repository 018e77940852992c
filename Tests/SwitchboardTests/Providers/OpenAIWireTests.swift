import Foundation
import Switchboard
import SwitchboardTesting
import Testing

/// What the OpenAI adapter puts on the wire (wire reference §2.1–2.2).
@Suite struct OpenAIWireTests {
    @Test func headersAndBody() async throws {
        try await withSimulatedClient { client, simulator in
            _ = try await client.chat(
                ChatRequest(
                    messages: [.system("sys"), .user("hi")], model: "gpt-4o-mini", provider: .openAI, maxTokens: 64,
                    temperature: 0.5, topP: 0.9, stopSequences: ["END"], seed: 7))
            let request = try #require(simulator.requests(for: .openAI).last)
            #expect(request.method == "POST")
            #expect(request.pathWithoutQuery == "/openai/v1/chat/completions")
            #expect(request.header("authorization") == "Bearer \(testOpenAIKey)")
            #expect(!request.path.contains(testOpenAIKey))
            #expect(request.header("content-type") == "application/json")
            let body = try #require(request.json)
            #expect(body["model"] == "gpt-4o-mini")
            #expect(body["max_completion_tokens"] == 64)
            #expect(body["max_tokens"] == nil)
            #expect(body["temperature"] == 0.5)
            #expect(body["top_p"] == 0.9)
            #expect(body["stop"] == ["END"])
            #expect(body["seed"] == 7)
            #expect(body["stream"] == nil)
            #expect(body["messages"] == [["role": "system", "content": "sys"], ["role": "user", "content": "hi"]])
        }
    }

    @Test func streamingAsksForUsage() async throws {
        try await withSimulatedClient { client, simulator in
            for try await _ in try await client.stream(ChatRequest(messages: [.user("hi")], provider: .openAI)) {}
            let body = try #require(simulator.requests(for: .openAI).last?.json)
            #expect(body["stream"] == true)
            #expect(body["stream_options"] == ["include_usage": true])
        }
    }

    @Test func toolsImagesAndSchema() async throws {
        try await withSimulatedClient { client, simulator in
            let tool = ToolDefinition(
                name: "lookup", description: "Look up", parameters: ["type": "object", "properties": [:]], strict: true)
            simulator.enqueue(.text("{}"), for: .openAI)
            _ = try await client.chat(
                ChatRequest(
                    messages: [
                        .user([.text("see"), .image(.base64(data: "aGVsbG8=", mediaType: "image/png"))]),
                        .assistant("", toolCalls: [ToolCall(id: "c1", name: "lookup", arguments: "{}")]),
                        .tool(callID: "c1", "result"),
                    ], provider: .openAI, tools: [tool], toolChoice: .tool("lookup"),
                    responseFormat: .jsonSchema(name: "out", schema: ["type": "object"])))
            let body = try #require(simulator.requests(for: .openAI).last?.json)
            #expect(
                body["tools"] == [
                    [
                        "type": "function",
                        "function": [
                            "name": "lookup", "description": "Look up",
                            "parameters": ["type": "object", "properties": [:]],
                            "strict": true,
                        ],
                    ]
                ])
            #expect(body["tool_choice"] == ["type": "function", "function": ["name": "lookup"]])
            #expect(
                body["response_format"] == [
                    "type": "json_schema",
                    "json_schema": ["name": "out", "schema": ["type": "object"], "strict": true],
                ])
            guard case .array(let messages) = body["messages"] else {
                Issue.record("messages is not an array")
                return
            }
            #expect(
                messages[0]["content"] == [
                    ["type": "text", "text": "see"],
                    ["type": "image_url", "image_url": ["url": "data:image/png;base64,aGVsbG8="]],
                ])
            #expect(messages[1]["content"] == .null)
            #expect(
                messages[1]["tool_calls"] == [
                    ["id": "c1", "type": "function", "function": ["name": "lookup", "arguments": "{}"]]
                ])
            #expect(messages[2] == ["role": "tool", "tool_call_id": "c1", "content": "result"])
        }
    }

    @Test func embeddingsKeepInputOrder() async throws {
        try await withSimulatedClient { client, simulator in
            let response = try await client.embed(
                EmbeddingRequest(inputs: ["alpha", "beta", "gamma"], provider: .openAI, dimensions: 4))
            #expect(response.embeddings.count == 3)
            #expect(response.embeddings.allSatisfy { $0.count == 4 })
            #expect(response.embeddings[0] != response.embeddings[1])
            let body = try #require(simulator.requests(for: .openAI).last?.json)
            #expect(body["input"] == ["alpha", "beta", "gamma"])
            #expect(body["dimensions"] == 4)
        }
    }

    @Test func anthropicHasNoEmbeddings() async throws {
        try await withSimulatedClient { client, simulator in
            let error = await #expect(throws: ProviderError.self) {
                _ = try await client.embed(EmbeddingRequest(inputs: ["x"], provider: .anthropic))
            }
            #expect(error?.kind == .invalidRequest)
            #expect(simulator.requests.isEmpty)
        }
    }
}
