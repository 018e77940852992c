import Foundation
import Switchboard
import SwitchboardTesting
import Testing

@Suite("Gateway: Anthropic API")
struct AnthropicGatewayTests {
    static let headers = [("x-api-key", gatewayTestKey), ("anthropic-version", "2023-06-01")]
    static let message: JSONValue = [
        "model": "claude-sonnet-4-20250514", "max_tokens": 100, "system": "Be brief.",
        "messages": [["role": "user", "content": "Say hi"]],
    ]

    @Test func plainMessageHasAnthropicShape() async throws {
        try await withGateway { gateway in
            gateway.simulator.enqueue(
                .text("Hi!", usage: SimulatedUsage(inputTokens: 9, outputTokens: 2)), for: .anthropic)
            let reply = try await gateway.send(.POST, "/v1/messages", json: Self.message, headers: Self.headers)
            #expect(reply.status == 200)
            #expect(reply.header("x-switchboard-provider") == "anthropic")
            let json = try #require(reply.json)
            #expect(json["type"] == "message")
            #expect(json["role"] == "assistant")
            #expect(json["id"]?.stringValue?.hasPrefix("msg_") == true)
            #expect(json["content"]?[0]?["type"] == "text")
            #expect(json["content"]?[0]?["text"] == "Hi!")
            #expect(json["stop_reason"] == "end_turn")
            #expect(json["usage"]?["input_tokens"] == 9)
            #expect(json["usage"]?["output_tokens"] == 2)
            let upstream = try #require(gateway.simulator.requests(for: .anthropic).last?.json)
            #expect(upstream["system"] == "Be brief." || upstream["system"]?[0]?["text"] == "Be brief.")
            #expect(upstream["max_tokens"] == 100)
        }
    }

    @Test func streamHasTheExactEventSequence() async throws {
        try await withGateway { gateway in
            var reply = SimulatedReply.text("Hello there", usage: SimulatedUsage(inputTokens: 11, outputTokens: 6))
            reply.chunkSize = 6
            gateway.simulator.enqueue(reply, for: .anthropic)
            var body = Self.message.objectValue ?? [:]
            body["stream"] = true
            let response = try await gateway.send(.POST, "/v1/messages", json: .object(body), headers: Self.headers)
            #expect(response.status == 200)
            #expect(response.header("content-type") == "text/event-stream")
            let events = serverSentEvents(response.body)
            let names = events.compactMap(\.event)
            #expect(names.count == events.count)
            #expect(
                names == [
                    "message_start", "content_block_start", "content_block_delta", "content_block_delta",
                    "content_block_stop", "message_delta", "message_stop",
                ])
            let data = events.compactMap { try? JSONValue.parse($0.data) }
            #expect(zip(names, data).allSatisfy { name, json in json["type"]?.stringValue == name })
            #expect(data[0]["message"]?["role"] == "assistant")
            #expect(data[0]["message"]?["content"] == [])
            #expect(data[1]["content_block"]?["type"] == "text")
            let text = data.compactMap { $0["delta"]?["text"]?.stringValue }.joined()
            #expect(text == "Hello there")
            #expect(data[5]["delta"]?["stop_reason"] == "end_turn")
            #expect(data[5]["usage"]?["output_tokens"] == 6)
            #expect(data[5]["usage"]?["input_tokens"] == 11)
        }
    }

    @Test func toolUseAndToolResultRoundTrip() async throws {
        try await withGateway { gateway in
            gateway.simulator.enqueue(
                .toolCall(name: "get_weather", arguments: #"{"location":"Paris"}"#, id: "toolu_1"), for: .anthropic)
            let body: JSONValue = [
                "model": "claude-sonnet-4-20250514", "max_tokens": 100,
                "tools": [["name": "get_weather", "input_schema": ["type": "object"]]],
                "messages": [
                    ["role": "user", "content": "Weather?"],
                    [
                        "role": "assistant",
                        "content": [
                            ["type": "tool_use", "id": "toolu_0", "name": "get_weather", "input": ["location": "Rome"]]
                        ],
                    ],
                    [
                        "role": "user",
                        "content": [
                            ["type": "tool_result", "tool_use_id": "toolu_0", "content": "20C"],
                            ["type": "text", "text": "And Paris?"],
                        ],
                    ],
                ],
            ]
            let reply = try await gateway.send(.POST, "/v1/messages", json: body, headers: Self.headers)
            #expect(reply.status == 200)
            let json = try #require(reply.json)
            #expect(json["stop_reason"] == "tool_use")
            let block = try #require(json["content"]?[0])
            #expect(block["type"] == "tool_use")
            #expect(block["id"] == "toolu_1")
            #expect(block["input"]?["location"] == "Paris")
            let upstream = try #require(gateway.simulator.requests(for: .anthropic).last?.json)
            #expect(upstream["tools"]?[0]?["name"] == "get_weather")
            let sentBlocks = (upstream["messages"]?[2]?["content"]).map { "\($0)" } ?? ""
            #expect(sentBlocks.contains("tool_result"))
            #expect(sentBlocks.contains("toolu_0"))
        }
    }

    @Test func streamedToolUseIsAToolUseBlockWithInputJSONDeltas() async throws {
        try await withGateway { gateway in
            gateway.simulator.enqueue(
                .toolCall(name: "get_weather", arguments: #"{"location":"Paris"}"#, id: "toolu_7"), for: .anthropic)
            var body = Self.message.objectValue ?? [:]
            body["stream"] = true
            body["tools"] = [["name": "get_weather", "input_schema": ["type": "object"]]]
            let response = try await gateway.send(.POST, "/v1/messages", json: .object(body), headers: Self.headers)
            let data = serverSentEvents(response.body).compactMap { try? JSONValue.parse($0.data) }
            let start = try #require(data.first { $0["type"] == "content_block_start" })
            #expect(start["content_block"]?["type"] == "tool_use")
            #expect(start["content_block"]?["id"] == "toolu_7")
            let json = data.compactMap { $0["delta"]?["partial_json"]?.stringValue }.joined()
            #expect(json == #"{"location":"Paris"}"#)
            #expect(data.first { $0["type"] == "message_delta" }?["delta"]?["stop_reason"] == "tool_use")
        }
    }

    @Test func overloadedUpstreamIs529OverloadedError() async throws {
        try await withGateway { gateway in
            gateway.simulator.enqueue(.failure(status: 529), for: .anthropic)
            let reply = try await gateway.send(.POST, "/v1/messages", json: Self.message, headers: Self.headers)
            #expect(reply.status == 529)
            #expect(reply.json?["type"] == "error")
            #expect(reply.json?["error"]?["type"] == "overloaded_error")
        }
    }

    @Test func rateLimitIs429RateLimitErrorWithRetryAfter() async throws {
        try await withGateway { gateway in
            gateway.simulator.enqueue(.failure(status: 429, retryAfter: .seconds(12)), for: .anthropic)
            let reply = try await gateway.send(.POST, "/v1/messages", json: Self.message, headers: Self.headers)
            #expect(reply.status == 429)
            #expect(reply.header("retry-after") == "12")
            #expect(reply.json?["error"]?["type"] == "rate_limit_error")
        }
    }

    @Test func badKeyIs401AuthenticationError() async throws {
        try await withGateway { gateway in
            let reply = try await gateway.send(
                .POST, "/v1/messages", json: Self.message,
                headers: [("x-api-key", "nope"), ("anthropic-version", "2023-06-01")])
            #expect(reply.status == 401)
            #expect(reply.json?["type"] == "error")
            #expect(reply.json?["error"]?["type"] == "authentication_error")
        }
    }

    @Test func missingMaxTokensIs400InvalidRequest() async throws {
        try await withGateway { gateway in
            let body: JSONValue = [
                "model": "claude-sonnet-4-20250514", "messages": [["role": "user", "content": "x"]],
            ]
            let reply = try await gateway.send(.POST, "/v1/messages", json: body, headers: Self.headers)
            #expect(reply.status == 400)
            #expect(reply.json?["error"]?["type"] == "invalid_request_error")
        }
    }

    @Test func countTokensUsesTheEstimatorAndGrowsWithTheInput() async throws {
        try await withGateway { gateway in
            let short: JSONValue = [
                "model": "claude-sonnet-4-20250514", "messages": [["role": "user", "content": "hi"]],
            ]
            let long: JSONValue = [
                "model": "claude-sonnet-4-20250514",
                "messages": [["role": "user", "content": .string(String(repeating: "word ", count: 200))]],
            ]
            let first = try await gateway.send(.POST, "/v1/messages/count_tokens", json: short, headers: Self.headers)
            let second = try await gateway.send(.POST, "/v1/messages/count_tokens", json: long, headers: Self.headers)
            guard case .integer(let small)? = first.json?["input_tokens"],
                case .integer(let large)? = second.json?["input_tokens"]
            else {
                Issue.record("no input_tokens: \(first.body) \(second.body)")
                return
            }
            #expect(small > 0)
            #expect(large > small + 150)
            #expect(gateway.simulator.requests(for: .anthropic).isEmpty)
        }
    }

    @Test func modelsListIsAnthropicShapedWhenAskedByTheAnthropicSDK() async throws {
        try await withGateway { gateway in
            let reply = try await gateway.send(.GET, "/v1/models", headers: Self.headers)
            #expect(reply.status == 200)
            #expect(reply.json?["has_more"] == false)
            #expect(reply.json?["data"]?[0]?["type"] == "model")
            #expect(reply.json?["object"] == nil)
        }
    }
}
