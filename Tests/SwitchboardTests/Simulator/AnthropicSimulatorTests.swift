import AsyncHTTPClient
import Foundation
import Switchboard
import SwitchboardTesting
import Testing

@Suite("Simulator: Anthropic wire format")
struct AnthropicSimulatorTests {
    @Test func plainMessageHasDocumentedFields() async throws {
        try await withSimulatorAndClient { simulator, client in
            let usage = SimulatedUsage(inputTokens: 10, outputTokens: 6, cachedInputTokens: 4, cacheWriteTokens: 3)
            simulator.enqueue(.text("Hi! I'm Claude.", usage: usage), for: .anthropic)
            let response = try await send(client, simulator, .anthropic, "/v1/messages", body: chatBody(.anthropic))
            #expect(response.status == 200)
            let requestID = try #require(response.header("request-id"))
            #expect(requestID.hasPrefix("req_"))
            let reset = try #require(response.header("anthropic-ratelimit-requests-reset"))
            #expect((try? Date(reset, strategy: .iso8601)) != nil, "reset is not RFC 3339: \(reset)")
            for family in ["requests", "tokens", "input-tokens", "output-tokens"] {
                for part in ["limit", "remaining", "reset"] {
                    #expect(response.header("anthropic-ratelimit-\(family)-\(part)") != nil)
                }
            }
            let json = try response.json
            #expect(json["type"] == "message")
            #expect(json["role"] == "assistant")
            #expect(json["id"]?.stringValue?.hasPrefix("msg_") == true)
            #expect(json["model"] == "claude-sonnet-4-20250514")
            #expect(json["content"] == [["type": "text", "text": "Hi! I'm Claude."]])
            #expect(json["stop_reason"] == "end_turn")
            #expect(json["stop_sequence"] == .null)
            #expect(json["usage"]?["input_tokens"] == 10)
            #expect(json["usage"]?["cache_read_input_tokens"] == 4)
            #expect(json["usage"]?["cache_creation_input_tokens"] == 3)
            #expect(json["usage"]?["output_tokens"] == 6)
        }
    }

    @Test func defaultReplyEchoesAndCanBeReplaced() async throws {
        try await withSimulatorAndClient { simulator, client in
            let echoed = try await send(
                client, simulator, .anthropic, "/v1/messages", body: chatBody(.anthropic, text: "Tell me a joke")
            ).json
            #expect(echoed["content"]?.jsonString().contains("Simulated reply to: Tell me a joke") == true)

            simulator.setDefaultReply(.text("Default!"), for: .anthropic)
            simulator.enqueue(.text("First"), for: .anthropic)
            simulator.enqueue(.text("Second"), for: .anthropic)
            var texts: [String] = []
            for _ in 0..<4 {
                let json = try await send(client, simulator, .anthropic, "/v1/messages", body: chatBody(.anthropic))
                    .json
                guard case .array(let content) = json["content"] else { continue }
                texts.append(content.first?["text"]?.stringValue ?? "")
            }
            #expect(texts == ["First", "Second", "Default!", "Default!"])

            simulator.setDefaultReply(nil, for: .anthropic)
            let back = try await send(client, simulator, .anthropic, "/v1/messages", body: chatBody(.anthropic)).json
            #expect(back["content"]?.jsonString().contains("Simulated reply to: Hello there") == true)
        }
    }

    @Test func streamFollowsDocumentedEventOrder() async throws {
        try await withSimulatorAndClient { simulator, client in
            let usage = SimulatedUsage(inputTokens: 11, outputTokens: 6, cachedInputTokens: 2)
            simulator.enqueue(.text("Hello there!", usage: usage), for: .anthropic)
            let response = try await send(
                client, simulator, .anthropic, "/v1/messages", body: chatBody(.anthropic, stream: true))
            #expect(response.header("content-type")?.hasPrefix("text/event-stream") == true)
            let events = response.events
            let names = events.compactMap(\.name)
            #expect(names.count == events.count)
            #expect(
                names == [
                    "message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta",
                    "content_block_delta", "content_block_stop", "message_delta", "message_stop",
                ])
            for event in events {
                #expect(event.json?["type"]?.stringValue == event.name)
            }
            let start = try #require(events.first?.json?["message"])
            #expect(start["content"] == [])
            #expect(start["stop_reason"] == .null)
            #expect(start["usage"]?["input_tokens"] == 11)
            #expect(start["usage"]?["cache_read_input_tokens"] == 2)
            #expect(events[1].json?["content_block"] == ["type": "text", "text": ""])
            let text = events.filter { $0.name == "content_block_delta" }
                .compactMap { $0.json?["delta"]?["text"]?.stringValue }.joined()
            #expect(text == "Hello there!")
            let delta = try #require(events.first { $0.name == "message_delta" }?.json)
            #expect(delta["delta"]?["stop_reason"] == "end_turn")
            #expect(delta["usage"]?["output_tokens"] == 6)
            #expect(delta["usage"]?["input_tokens"] == 11)
            #expect(!response.text.contains("[DONE]"))
        }
    }

    @Test func toolUseStreamsInputJSONDeltas() async throws {
        try await withSimulatorAndClient { simulator, client in
            let arguments = #"{"location": "Paris"}"#
            simulator.enqueue(
                SimulatedReply(
                    text: "Let me check.",
                    toolCalls: [SimulatedToolCall(name: "get_weather", arguments: arguments)],
                    chunkSize: 5
                ),
                for: .anthropic
            )
            let events = try await send(
                client, simulator, .anthropic, "/v1/messages", body: chatBody(.anthropic, stream: true)
            ).events
            let toolStarts = TestSSEEvent.select(events, named: "content_block_start", index: 1)
            let toolStart = try #require(toolStarts.first?.json)
            #expect(toolStart["content_block"]?["type"] == "tool_use")
            #expect(toolStart["content_block"]?["name"] == "get_weather")
            #expect(toolStart["content_block"]?["id"]?.stringValue?.hasPrefix("toolu_") == true)
            #expect(toolStart["content_block"]?["input"] == [:])
            let toolDeltas = TestSSEEvent.select(events, named: "content_block_delta", index: 1)
            let fragments = toolDeltas.compactMap { $0.json?["delta"] }
            #expect(fragments.allSatisfy { $0["type"] == "input_json_delta" })
            #expect(fragments.count > 2)
            let joined = fragments.compactMap { $0["partial_json"]?.stringValue }.joined()
            #expect(try JSONValue.parse(joined) == ["location": "Paris"])
            let delta = events.first { $0.name == "message_delta" }?.json
            #expect(delta?["delta"]?["stop_reason"] == "tool_use")
            #expect(events.last?.name == "message_stop")
        }
    }

    @Test func plainToolUseHasParsedInput() async throws {
        try await withSimulatorAndClient { simulator, client in
            simulator.enqueue(
                .toolCall(name: "get_weather", arguments: #"{"city":"Oslo"}"#, id: "toolu_1"), for: .anthropic)
            let json = try await send(client, simulator, .anthropic, "/v1/messages", body: chatBody(.anthropic)).json
            #expect(
                json["content"] == [
                    ["type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": ["city": "Oslo"]]
                ]
            )
            #expect(json["stop_reason"] == "tool_use")
        }
    }

    @Test func modelsPageWithHasMore() async throws {
        try await withSimulatorAndClient { simulator, client in
            simulator.setModels(["claude-a", "claude-b", "claude-c"], for: .anthropic)
            let firstPage = try await send(client, simulator, .anthropic, "/v1/models?limit=2", method: .GET).json
            #expect(firstPage["has_more"] == true)
            #expect(firstPage["first_id"] == "claude-a")
            #expect(firstPage["last_id"] == "claude-b")
            guard case .array(let data) = firstPage["data"] else { Issue.record("no data"); return }
            #expect(data.allSatisfy { $0["type"] == "model" && $0["display_name"] != nil && $0["created_at"] != nil })
            let secondPage = try await send(
                client, simulator, .anthropic, "/v1/models?limit=2&after_id=claude-b", method: .GET
            ).json
            #expect(secondPage["has_more"] == false)
            #expect(secondPage["first_id"] == "claude-c")
            #expect(secondPage["last_id"] == "claude-c")
        }
    }

    @Test func authenticationVersionAndValidationErrors() async throws {
        try await withSimulatorAndClient { simulator, client in
            func expectError(_ response: CollectedResponse, _ status: Int, _ type: String) throws {
                #expect(response.status == status)
                let json = try response.json
                #expect(json["type"] == "error")
                #expect(json["error"]?["type"]?.stringValue == type)
                #expect(json["error"]?["message"]?.stringValue?.isEmpty == false)
                #expect(json["request_id"]?.stringValue == response.header("request-id"))
            }
            simulator.requireAPIKey("sk-ant-right", for: .anthropic)
            try expectError(
                try await send(client, simulator, .anthropic, "/v1/messages", body: chatBody(.anthropic)),
                401, "authentication_error")
            let right = authHeaders(.anthropic, key: "sk-ant-right")
            try expectError(
                try await send(
                    client, simulator, .anthropic, "/v1/messages", body: chatBody(.anthropic),
                    headers: [("x-api-key", "sk-ant-right")]),
                400, "invalid_request_error")
            try expectError(
                try await send(
                    client, simulator, .anthropic, "/v1/messages",
                    body: #"{"model":"claude","messages":[{"role":"user","content":"hi"}]}"#, headers: right),
                400, "invalid_request_error")
            try expectError(
                try await send(
                    client, simulator, .anthropic, "/v1/messages",
                    body: #"{"model":"claude","max_tokens":5,"messages":[{"role":"system","content":"x"}]}"#,
                    headers: right),
                400, "invalid_request_error")
            try expectError(
                try await send(client, simulator, .anthropic, "/v1/messages", body: "not json", headers: right),
                400, "invalid_request_error")
            try expectError(
                try await send(
                    client, simulator, .anthropic, "/v1/messages", body: #"{"max_tokens":5,"messages":[]}"#,
                    headers: right),
                400, "invalid_request_error")
            try expectError(
                try await send(client, simulator, .anthropic, "/v1/messages", method: .GET, headers: right),
                404, "not_found_error")
            let ok = try await send(
                client, simulator, .anthropic, "/v1/messages", body: chatBody(.anthropic), headers: right)
            #expect(ok.status == 200)
        }
    }
}
