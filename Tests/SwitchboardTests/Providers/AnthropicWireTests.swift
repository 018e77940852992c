import Foundation
import Switchboard
import SwitchboardTesting
import Testing

/// What the Anthropic adapter puts on the wire (wire reference §3.1–3.2).
@Suite struct AnthropicWireTests {
    @Test func headersSystemAndDefaultMaxTokens() async throws {
        try await withSimulatedClient { client, simulator in
            _ = try await client.chat(
                ChatRequest(
                    messages: [.system("one"), .system("two"), .user("hi")], model: "claude-haiku-4-5",
                    provider: .anthropic, topK: 5, stopSequences: ["STOP"], metadata: RequestMetadata(user: "u-1")))
            let request = try #require(simulator.requests(for: .anthropic).last)
            #expect(request.pathWithoutQuery == "/anthropic/v1/messages")
            #expect(request.header("x-api-key") == testAnthropicKey)
            #expect(request.header("anthropic-version") == "2023-06-01")
            #expect(request.header("authorization") == nil)
            let body = try #require(request.json)
            #expect(body["system"] == "one\n\ntwo")
            #expect(body["max_tokens"] == 4096)
            #expect(body["stop_sequences"] == ["STOP"])
            #expect(body["top_k"] == 5)
            #expect(body["metadata"] == ["user_id": "u-1"])
            #expect(body["messages"] == [["role": "user", "content": [["type": "text", "text": "hi"]]]])
        }
    }

    @Test func toolTurnsBecomeBlocksAndMerge() async throws {
        try await withSimulatedClient { client, simulator in
            let tool = ToolDefinition(name: "lookup", parameters: ["type": "object", "properties": [:]])
            _ = try await client.chat(
                ChatRequest(
                    messages: [
                        .user([.text("look"), .image(.base64(data: "aGVsbG8=", mediaType: "image/jpeg"))]),
                        .assistant(
                            "Looking.",
                            toolCalls: [
                                ToolCall(id: "t1", name: "lookup", arguments: #"{"q":"a"}"#),
                                ToolCall(id: "t2", name: "lookup", arguments: #"{"q":"b"}"#),
                            ]),
                        .tool(callID: "t1", "A"), .tool(callID: "t2", "failed", isError: true), .user("and?"),
                    ], provider: .anthropic, tools: [tool], toolChoice: .required))
            let body = try #require(simulator.requests(for: .anthropic).last?.json)
            #expect(body["tools"] == [["name": "lookup", "input_schema": ["type": "object", "properties": [:]]]])
            #expect(body["tool_choice"] == ["type": "any"])
            #expect(
                body["messages"] == [
                    [
                        "role": "user",
                        "content": [
                            ["type": "text", "text": "look"],
                            [
                                "type": "image",
                                "source": ["type": "base64", "media_type": "image/jpeg", "data": "aGVsbG8="],
                            ],
                        ],
                    ],
                    [
                        "role": "assistant",
                        "content": [
                            ["type": "text", "text": "Looking."],
                            ["type": "tool_use", "id": "t1", "name": "lookup", "input": ["q": "a"]],
                            ["type": "tool_use", "id": "t2", "name": "lookup", "input": ["q": "b"]],
                        ],
                    ],
                    [
                        "role": "user",
                        "content": [
                            ["type": "tool_result", "tool_use_id": "t1", "content": "A"],
                            ["type": "tool_result", "tool_use_id": "t2", "content": "failed", "is_error": true],
                            ["type": "text", "text": "and?"],
                        ],
                    ],
                ])
        }
    }
}
