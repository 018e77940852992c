import AsyncHTTPClient
import Foundation
import Switchboard
import SwitchboardTesting
import Testing

@Suite("Gateway: OpenAI API")
struct OpenAIGatewayTests {
    static let chat: JSONValue = ["model": "gpt-4o-mini", "messages": [["role": "user", "content": "Say hi"]]]

    @Test func plainCompletionHasOpenAIShapeAndServedHeaders() async throws {
        try await withGateway { gateway in
            gateway.simulator.enqueue(
                .text("Hello there", usage: SimulatedUsage(inputTokens: 12, outputTokens: 3, cachedInputTokens: 4)),
                for: .openAI)
            let reply = try await gateway.send(.POST, "/v1/chat/completions", json: Self.chat)
            #expect(reply.status == 200)
            #expect(reply.header("x-switchboard-provider") == "openai")
            #expect(reply.header("x-switchboard-model") == "gpt-4o-mini")
            #expect(reply.header("x-switchboard-attempts") == "1")
            let cost = gateway.client.costCalculator.cost(
                of: Usage(inputTokens: 12, cacheReadTokens: 4, outputTokens: 3), provider: .openAI, model: "gpt-4o-mini"
            )
            #expect(reply.header("x-switchboard-cost-usd") == cost?.total.exactDecimalString)
            #expect(reply.header("x-switchboard-cost-usd") == "0.0000039")
            let json = try #require(reply.json)
            #expect(json["object"] == "chat.completion")
            #expect(json["id"]?.stringValue?.hasPrefix("chatcmpl-") == true)
            #expect(json["created"] == .integer(1_750_000_000))
            #expect(json["choices"]?[0]?["message"]?["content"] == "Hello there")
            #expect(json["choices"]?[0]?["message"]?["role"] == "assistant")
            #expect(json["choices"]?[0]?["finish_reason"] == "stop")
            // The simulator's inputTokens are the uncached ones; OpenAI's prompt_tokens include the cached.
            #expect(json["usage"]?["prompt_tokens"] == 16)
            #expect(json["usage"]?["completion_tokens"] == 3)
            #expect(json["usage"]?["total_tokens"] == 19)
            #expect(json["usage"]?["prompt_tokens_details"]?["cached_tokens"] == 4)
            let upstream = try #require(gateway.simulator.requests(for: .openAI).last?.json)
            #expect(upstream["model"] == "gpt-4o-mini")
            #expect(upstream["messages"]?[0]?["content"] == "Say hi")
        }
    }

    @Test func streamIsChunkEventsThenUsageThenDone() async throws {
        try await withGateway { gateway in
            var reply = SimulatedReply.text("Hello world", usage: SimulatedUsage(inputTokens: 5, outputTokens: 2))
            reply.chunkSize = 5
            gateway.simulator.enqueue(reply, for: .openAI)
            var body = Self.chat
            body = .object(
                (body.objectValue ?? [:]).merging(["stream": true, "stream_options": ["include_usage": true]]) { $1 })
            let response = try await gateway.send(.POST, "/v1/chat/completions", json: body)
            #expect(response.status == 200)
            #expect(response.header("content-type") == "text/event-stream")
            #expect(response.header("x-switchboard-provider") == "openai")
            #expect(response.header("x-switchboard-attempts") == "1")
            #expect(response.header("x-switchboard-cost-usd") == nil)
            #expect(response.body.hasSuffix("data: [DONE]\n\n"))
            let events = serverSentEvents(response.body)
            #expect(events.allSatisfy { $0.event == nil })
            let chunks = events.dropLast().compactMap { try? JSONValue.parse($0.data) }
            #expect(chunks.count == events.count - 1)
            #expect(chunks.allSatisfy { $0["object"] == "chat.completion.chunk" })
            #expect(Set(chunks.compactMap { $0["id"]?.stringValue }).count == 1)
            #expect(chunks.first?["choices"]?[0]?["delta"]?["role"] == "assistant")
            let text = chunks.compactMap { $0["choices"]?[0]?["delta"]?["content"]?.stringValue }.joined()
            #expect(text == "Hello world")
            let finish = chunks.compactMap { $0["choices"]?[0]?["finish_reason"]?.stringValue }
            #expect(finish == ["stop"])
            let usage = try #require(chunks.last)
            #expect(usage["choices"] == [])
            #expect(usage["usage"]?["prompt_tokens"] == 5)
            #expect(usage["usage"]?["completion_tokens"] == 2)
        }
    }

    @Test func aRepeatedQuestionIsAnsweredFromTheCacheAndSaysSo() async throws {
        try await withGateway(configure: { $0.cache = ResponseCacheConfiguration() }) { gateway in
            gateway.simulator.enqueue(.text("Hello there"), for: .openAI)
            let first = try await gateway.send(.POST, "/v1/chat/completions", json: Self.chat)
            #expect(first.header("x-switchboard-cache") == "miss")
            let second = try await gateway.send(.POST, "/v1/chat/completions", json: Self.chat)
            #expect(second.status == 200)
            #expect(second.header("x-switchboard-cache") == "hit")
            #expect(second.header("x-switchboard-cost-usd") == "0")
            #expect(second.json?["choices"]?[0]?["message"]?["content"] == "Hello there")
            #expect(gateway.simulator.requests(for: .openAI).count == 1)
        }
    }

    @Test func streamEndsWithItsCostInTheTrailers() async throws {
        try await withGateway { gateway in
            gateway.simulator.enqueue(
                .text("Hello world", usage: SimulatedUsage(inputTokens: 10, outputTokens: 1000)), for: .openAI)
            // curl shows a chunked body raw, trailers included (AsyncHTTPClient does not surface trailers).
            let (status, output) = try await runToEnd(
                "/usr/bin/env",
                [
                    "curl", "-s", "--raw", "-H", "authorization: Bearer \(gatewayTestKey)", "-H",
                    "content-type: application/json", "-d",
                    #"{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"x"}]}"#,
                    gateway.baseURL + "/v1/chat/completions",
                ])
            #expect(status == 0)
            // 10 × $0.15 + 1000 × $0.60 per million tokens.
            #expect(output.lowercased().contains("x-switchboard-cost-usd: 0.0006015"))
            #expect(output.contains("data: [DONE]"))
        }
    }

    @Test func streamWithoutIncludeUsageHasNoUsageChunk() async throws {
        try await withGateway { gateway in
            gateway.simulator.enqueue(.text("Hi"), for: .openAI)
            let body: JSONValue = [
                "model": "gpt-4o-mini", "stream": true, "messages": [["role": "user", "content": "x"]],
            ]
            let response = try await gateway.send(.POST, "/v1/chat/completions", json: body)
            let chunks = serverSentEvents(response.body).dropLast().compactMap { try? JSONValue.parse($0.data) }
            #expect(!chunks.isEmpty)
            #expect(chunks.allSatisfy { $0["usage"] == nil })
        }
    }

    @Test func toolsGoUpstreamAndToolCallsComeBack() async throws {
        try await withGateway { gateway in
            gateway.simulator.enqueue(
                .toolCall(name: "get_weather", arguments: #"{"city":"Paris"}"#, id: "call_1"), for: .openAI)
            let body: JSONValue = [
                "model": "gpt-4o-mini",
                "messages": [["role": "user", "content": "Weather in Paris?"]],
                "tools": [
                    [
                        "type": "function",
                        "function": [
                            "name": "get_weather", "description": "Weather for a city",
                            "parameters": ["type": "object", "properties": ["city": ["type": "string"]]],
                        ],
                    ]
                ],
                "tool_choice": "required",
                "response_format": ["type": "json_object"],
            ]
            let reply = try await gateway.send(.POST, "/v1/chat/completions", json: body)
            #expect(reply.status == 200)
            let json = try #require(reply.json)
            #expect(json["choices"]?[0]?["finish_reason"] == "tool_calls")
            let call = try #require(json["choices"]?[0]?["message"]?["tool_calls"]?[0])
            #expect(call["id"] == "call_1")
            #expect(call["type"] == "function")
            #expect(call["function"]?["name"] == "get_weather")
            #expect(call["function"]?["arguments"] == #"{"city":"Paris"}"#)
            #expect(json["choices"]?[0]?["message"]?["content"] == .null)
            let upstream = try #require(gateway.simulator.requests(for: .openAI).last?.json)
            #expect(upstream["tools"]?[0]?["function"]?["name"] == "get_weather")
            #expect(upstream["tool_choice"] == "required")
            #expect(upstream["response_format"]?["type"] == "json_object")
        }
    }

    @Test func streamedToolCallFirstFragmentCarriesIDAndName() async throws {
        try await withGateway { gateway in
            var reply = SimulatedReply.toolCall(name: "get_weather", arguments: #"{"city":"New York"}"#, id: "call_9")
            reply.chunkSize = 4
            gateway.simulator.enqueue(reply, for: .openAI)
            let body: JSONValue = [
                "model": "gpt-4o-mini", "stream": true, "messages": [["role": "user", "content": "x"]],
                "tools": [
                    ["type": "function", "function": ["name": "get_weather", "parameters": ["type": "object"]]]
                ],
            ]
            let response = try await gateway.send(.POST, "/v1/chat/completions", json: body)
            let chunks = serverSentEvents(response.body).dropLast().compactMap { try? JSONValue.parse($0.data) }
            let fragments = chunks.compactMap { $0["choices"]?[0]?["delta"]?["tool_calls"]?[0] }
            #expect(fragments.count > 1)
            #expect(fragments.first?["id"] == "call_9")
            #expect(fragments.first?["function"]?["name"] == "get_weather")
            #expect(fragments.dropFirst().allSatisfy { $0["id"] == nil && $0["index"] == 0 })
            let arguments = fragments.compactMap { $0["function"]?["arguments"]?.stringValue }.joined()
            #expect(arguments == #"{"city":"New York"}"#)
            #expect(chunks.compactMap { $0["choices"]?[0]?["finish_reason"]?.stringValue } == ["tool_calls"])
        }
    }

    @Test func imagePartsReachTheProvider() async throws {
        try await withGateway { gateway in
            gateway.simulator.enqueue(.text("A cat"), for: .openAI)
            let body: JSONValue = [
                "model": "gpt-4o-mini",
                "messages": [
                    [
                        "role": "user",
                        "content": [
                            ["type": "text", "text": "What is this?"],
                            ["type": "image_url", "image_url": ["url": "data:image/png;base64,iVBORw0KGgo="]],
                        ],
                    ]
                ],
            ]
            let reply = try await gateway.send(.POST, "/v1/chat/completions", json: body)
            #expect(reply.status == 200)
            let upstream = try #require(gateway.simulator.requests(for: .openAI).last?.json)
            #expect(
                upstream["messages"]?[0]?["content"]?[1]?["image_url"]?["url"] == "data:image/png;base64,iVBORw0KGgo=")
        }
    }

    @Test func upstreamRateLimitIs429WithRetryAfterInOpenAIFormat() async throws {
        try await withGateway { gateway in
            gateway.simulator.enqueue(.failure(status: 429, retryAfter: .seconds(7)), for: .openAI)
            let reply = try await gateway.send(.POST, "/v1/chat/completions", json: Self.chat)
            #expect(reply.status == 429)
            #expect(reply.header("retry-after") == "7")
            #expect(reply.header("retry-after-ms") == "7000")
            let error = try #require(reply.json?["error"])
            #expect(error["code"] == "rate_limit_exceeded")
            #expect(error["type"]?.stringValue != nil)
            #expect(error["param"] == .null)
            #expect(error["message"]?.stringValue?.isEmpty == false)
        }
    }

    @Test func streamedRequestWithUpstreamErrorGetsTheErrorStatus() async throws {
        try await withGateway { gateway in
            gateway.simulator.enqueue(.failure(status: 429, retryAfter: .seconds(3)), for: .openAI)
            let body: JSONValue = [
                "model": "gpt-4o-mini", "stream": true, "messages": [["role": "user", "content": "x"]],
            ]
            let reply = try await gateway.send(.POST, "/v1/chat/completions", json: body)
            #expect(reply.status == 429)
            #expect(reply.header("retry-after") == "3")
            #expect(reply.json?["error"]?["code"] == "rate_limit_exceeded")
        }
    }

    @Test func missingOrWrongKeyIs401InOpenAIFormat() async throws {
        try await withGateway { gateway in
            let missing = try await gateway.send(.POST, "/v1/chat/completions", json: Self.chat, headers: [])
            #expect(missing.status == 401)
            #expect(missing.json?["error"]?["code"] == "invalid_api_key")
            #expect(missing.json?["error"]?["type"] == "invalid_request_error")
            let wrong = try await gateway.send(
                .POST, "/v1/chat/completions", json: Self.chat, headers: [("authorization", "Bearer sbk-wrong")])
            #expect(wrong.status == 401)
            #expect(wrong.body.contains("sbk-wrong") == false)
            #expect(gateway.simulator.requests(for: .openAI).isEmpty)
        }
    }

    @Test func invalidBodyIs400NamingTheField() async throws {
        try await withGateway { gateway in
            let reply = try await gateway.send(.POST, "/v1/chat/completions", json: ["model": "gpt-4o-mini"])
            #expect(reply.status == 400)
            #expect(reply.json?["error"]?["param"] == "messages")
            let notJSON = try await gateway.send(.POST, "/v1/chat/completions", body: "{not json")
            #expect(notJSON.status == 400)
            #expect(notJSON.json?["error"]?["type"] == "invalid_request_error")
        }
    }

    @Test func bodyOverTheLimitIs413() async throws {
        try await withGateway(configuration: .init(port: 0, maxBodyBytes: 1024)) { gateway in
            let big: JSONValue = [
                "model": "gpt-4o-mini",
                "messages": [["role": "user", "content": .string(String(repeating: "a", count: 4096))]],
            ]
            let reply = try await gateway.send(.POST, "/v1/chat/completions", json: big)
            #expect(reply.status == 413)
            #expect(reply.json?["error"]?["code"] == "request_too_large")
            #expect(gateway.simulator.requests(for: .openAI).isEmpty)
        }
    }

    @Test func embeddingsInFloatAndBase64() async throws {
        try await withGateway { gateway in
            let reply = try await gateway.send(
                .POST, "/v1/embeddings", json: ["model": "text-embedding-3-small", "input": ["a", "b"]])
            #expect(reply.status == 200)
            let json = try #require(reply.json)
            #expect(json["object"] == "list")
            #expect(json["data"]?[1]?["index"] == 1)
            guard case .array(let vector)? = json["data"]?[0]?["embedding"] else {
                Issue.record("no embedding vector")
                return
            }
            #expect(!vector.isEmpty)
            let encoded = try await gateway.send(
                .POST, "/v1/embeddings",
                json: ["model": "text-embedding-3-small", "input": "a", "encoding_format": "base64"])
            let base64 = try #require(encoded.json?["data"]?[0]?["embedding"]?.stringValue)
            #expect(Data(base64Encoded: base64)?.count == vector.count * 4)
        }
    }

    @Test func modelsListsAutoAndProviderQualifiedIDs() async throws {
        try await withGateway { gateway in
            let reply = try await gateway.send(.GET, "/v1/models")
            #expect(reply.status == 200)
            #expect(reply.json?["object"] == "list")
            guard case .array(let data)? = reply.json?["data"] else {
                Issue.record("no data")
                return
            }
            let ids = data.compactMap { $0["id"]?.stringValue }
            #expect(ids.first == "auto")
            #expect(ids.contains { $0.hasPrefix("openai/") })
            #expect(data.allSatisfy { $0["object"] == "model" })
        }
    }
}

extension JSONValue {
    var objectValue: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }
}
