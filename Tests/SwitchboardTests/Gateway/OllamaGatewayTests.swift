import Foundation
import Switchboard
import SwitchboardTesting
import Testing

@Suite("Gateway: Ollama API")
struct OllamaGatewayTests {
    static let chat: JSONValue = ["model": "llama3.2", "messages": [["role": "user", "content": "Say hi"]]]

    @Test func chatStreamsNDJSONByDefault() async throws {
        try await withGateway { gateway in
            var reply = SimulatedReply.text("Hello there", usage: SimulatedUsage(inputTokens: 8, outputTokens: 3))
            reply.chunkSize = 4
            gateway.simulator.enqueue(reply, for: .ollama)
            let response = try await gateway.send(.POST, "/api/chat", json: Self.chat)
            #expect(response.status == 200)
            #expect(response.header("content-type") == "application/x-ndjson")
            #expect(response.header("x-switchboard-provider") == "ollama")
            #expect(response.body.hasSuffix("\n"))
            let lines = try response.body.split(separator: "\n").map { try JSONValue.parse(String($0)) }
            #expect(lines.count >= 3)
            #expect(lines.dropLast().allSatisfy { $0["done"] == false })
            let text = lines.compactMap { $0["message"]?["content"]?.stringValue }.joined()
            #expect(text == "Hello there")
            let last = try #require(lines.last)
            #expect(last["done"] == true)
            #expect(last["done_reason"] == "stop")
            #expect(last["prompt_eval_count"] == 8)
            #expect(last["eval_count"] == 3)
        }
    }

    @Test func chatWithStreamFalseIsOneObject() async throws {
        try await withGateway { gateway in
            gateway.simulator.enqueue(.text("Hi"), for: .ollama)
            var body = Self.chat.objectValue ?? [:]
            body["stream"] = false
            let reply = try await gateway.send(.POST, "/api/chat", json: .object(body))
            #expect(reply.status == 200)
            #expect(reply.header("content-type") == "application/json")
            #expect(reply.json?["message"]?["content"] == "Hi")
            #expect(reply.json?["message"]?["role"] == "assistant")
            #expect(reply.json?["done"] == true)
        }
    }

    @Test func toolCallsComeWholeWithObjectArguments() async throws {
        try await withGateway { gateway in
            gateway.simulator.enqueue(.toolCall(name: "get_weather", arguments: #"{"city":"Toronto"}"#), for: .ollama)
            var body = Self.chat.objectValue ?? [:]
            body["stream"] = false
            body["tools"] = [
                ["type": "function", "function": ["name": "get_weather", "parameters": ["type": "object"]]]
            ]
            let reply = try await gateway.send(.POST, "/api/chat", json: .object(body))
            let call = try #require(reply.json?["message"]?["tool_calls"]?[0])
            #expect(call["function"]?["name"] == "get_weather")
            #expect(call["function"]?["arguments"]?["city"] == "Toronto")
        }
    }

    @Test func generateUsesResponseField() async throws {
        try await withGateway { gateway in
            gateway.simulator.enqueue(.text("Blue"), for: .ollama)
            let reply = try await gateway.send(
                .POST, "/api/generate", json: ["model": "llama3.2", "prompt": "Sky colour?", "stream": false])
            #expect(reply.json?["response"] == "Blue")
            #expect(reply.json?["done"] == true)
            gateway.simulator.enqueue(.text("Blue sky"), for: .ollama)
            let streamed = try await gateway.send(.POST, "/api/generate", json: ["model": "llama3.2", "prompt": "x"])
            let lines = try streamed.body.split(separator: "\n").map { try JSONValue.parse(String($0)) }
            #expect(lines.compactMap { $0["response"]?.stringValue }.joined() == "Blue sky")
        }
    }

    @Test func embedTagsAndVersion() async throws {
        try await withGateway { gateway in
            let embed = try await gateway.send(
                .POST, "/api/embed", json: ["model": "nomic-embed-text", "input": ["a", "b"]])
            #expect(embed.status == 200)
            guard case .array(let vectors)? = embed.json?["embeddings"] else {
                Issue.record("no embeddings: \(embed.body)")
                return
            }
            #expect(vectors.count == 2)
            let tags = try await gateway.send(.GET, "/api/tags")
            #expect(tags.json?["models"]?[0]?["name"]?.stringValue != nil)
            let version = try await gateway.send(.GET, "/api/version")
            #expect(version.json?["version"]?.stringValue != nil)
        }
    }

    @Test func errorsAreOllamaShaped() async throws {
        try await withGateway { gateway in
            gateway.simulator.enqueue(.failure(status: 404), for: .ollama)
            var body = Self.chat.objectValue ?? [:]
            body["stream"] = false
            let missing = try await gateway.send(.POST, "/api/chat", json: .object(body))
            #expect(missing.status == 404)
            #expect(missing.json?["error"]?.stringValue != nil)
            let unauthorized = try await gateway.send(.POST, "/api/chat", json: Self.chat, headers: [])
            #expect(unauthorized.status == 401)
            #expect(unauthorized.json?["error"]?.stringValue != nil)
        }
    }
}
