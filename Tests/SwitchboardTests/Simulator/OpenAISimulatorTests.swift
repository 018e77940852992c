import AsyncHTTPClient
import Foundation
import Switchboard
import SwitchboardTesting
import Testing

@Suite("Simulator: OpenAI wire format")
struct OpenAISimulatorTests {
    @Test func plainCompletionEchoesLastUserMessage() async throws {
        try await withSimulatorAndClient { simulator, client in
            let response = try await send(client, simulator, .openAI, "/chat/completions", body: chatBody(.openAI))
            #expect(response.status == 200)
            #expect(response.header("content-type")?.hasPrefix("application/json") == true)
            #expect(response.header("x-request-id")?.hasPrefix("req_") == true)
            for name in [
                "x-ratelimit-limit-requests", "x-ratelimit-limit-tokens", "x-ratelimit-remaining-requests",
                "x-ratelimit-remaining-tokens", "x-ratelimit-reset-requests", "x-ratelimit-reset-tokens",
            ] {
                #expect(response.header(name) != nil, "missing \(name)")
            }
            let json = try response.json
            #expect(json["object"] == "chat.completion")
            #expect(json["id"]?.stringValue?.hasPrefix("chatcmpl-") == true)
            #expect(json["model"] == "gpt-4o")
            guard case .integer = json["created"] else { Issue.record("created is not an integer"); return }
            guard case .array(let choices) = json["choices"], let choice = choices.first else {
                Issue.record("no choices")
                return
            }
            #expect(choice["index"] == 0)
            #expect(choice["message"]?["role"] == "assistant")
            #expect(choice["message"]?["content"] == "Simulated reply to: Hello there")
            #expect(choice["finish_reason"] == "stop")
            let usage = json["usage"]
            #expect(usage?["prompt_tokens"] == 2)
            #expect(usage?["completion_tokens"] == 5)
            #expect(usage?["total_tokens"] == 7)
            #expect(usage?["prompt_tokens_details"]?["cached_tokens"] == 0)
            #expect(usage?["completion_tokens_details"]?["reasoning_tokens"] == 0)
        }
    }

    @Test func usageCountsCachedTokensInsidePromptTokens() async throws {
        try await withSimulatorAndClient { simulator, client in
            let usage = SimulatedUsage(inputTokens: 10, outputTokens: 5, cachedInputTokens: 4, reasoningTokens: 2)
            simulator.enqueue(SimulatedReply(text: "Hi", usage: usage, model: "gpt-4o-2024-08-06"), for: .openAI)
            let json = try await send(client, simulator, .openAI, "/chat/completions", body: chatBody(.openAI)).json
            #expect(json["model"] == "gpt-4o-2024-08-06")
            #expect(json["usage"]?["prompt_tokens"] == 14)
            #expect(json["usage"]?["prompt_tokens_details"]?["cached_tokens"] == 4)
            #expect(json["usage"]?["completion_tokens"] == 5)
            #expect(json["usage"]?["completion_tokens_details"]?["reasoning_tokens"] == 2)
            #expect(json["usage"]?["total_tokens"] == 19)
        }
    }

    @Test func streamWithoutIncludeUsageHasNoUsageChunk() async throws {
        try await withSimulatorAndClient { simulator, client in
            simulator.enqueue(.text("Hello world, streamed."), for: .openAI)
            let response = try await send(
                client, simulator, .openAI, "/chat/completions", body: chatBody(.openAI, stream: true))
            #expect(response.status == 200)
            #expect(response.header("content-type")?.hasPrefix("text/event-stream") == true)
            let events = response.events
            #expect(events.allSatisfy { $0.name == nil })
            #expect(events.last?.data == "[DONE]")
            let chunks = events.dropLast().compactMap(\.json)
            #expect(chunks.count == events.count - 1)
            #expect(chunks.allSatisfy { $0["object"] == "chat.completion.chunk" })
            #expect(Set(chunks.compactMap { $0["id"] }).count == 1)
            #expect(chunks.allSatisfy { $0["usage"] == nil })
            #expect(chunks.allSatisfy { if case .array(let c) = $0["choices"] { !c.isEmpty } else { false } })
            let deltas = chunks.compactMap { chunk -> JSONValue? in
                guard case .array(let choices) = chunk["choices"] else { return nil }
                return choices.first
            }
            #expect(deltas.first?["delta"]?["role"] == "assistant")
            #expect(deltas.first?["delta"]?["content"] == "")
            let text = deltas.compactMap { $0["delta"]?["content"]?.stringValue }.joined()
            #expect(text == "Hello world, streamed.")
            #expect(deltas.dropLast().allSatisfy { $0["finish_reason"] == .null })
            #expect(deltas.last?["finish_reason"] == "stop")
            #expect(deltas.last?["delta"] == [:])
            // chunkSize 4: 22 characters → 6 content chunks.
            #expect(deltas.count == 1 + 6 + 1)
        }
    }

    @Test func streamWithIncludeUsageEndsWithUsageChunkBeforeDone() async throws {
        try await withSimulatorAndClient { simulator, client in
            simulator.enqueue(
                .text("Hi", usage: SimulatedUsage(inputTokens: 7, outputTokens: 1, cachedInputTokens: 3)), for: .openAI)
            let response = try await send(
                client, simulator, .openAI, "/chat/completions",
                body: chatBody(.openAI, stream: true, includeUsage: true))
            let events = response.events
            #expect(events.last?.data == "[DONE]")
            let usageChunk = try #require(events.dropLast().last?.json)
            #expect(usageChunk["choices"] == [])
            #expect(usageChunk["usage"]?["prompt_tokens"] == 10)
            #expect(usageChunk["usage"]?["prompt_tokens_details"]?["cached_tokens"] == 3)
            #expect(usageChunk["usage"]?["completion_tokens"] == 1)
            let others = events.dropLast(2).compactMap(\.json)
            #expect(others.allSatisfy { $0["usage"] == .null })
            #expect(events.filter { $0.json?["choices"] == [] }.count == 1)
        }
    }

    @Test func toolCallsStreamAsIndexedFragments() async throws {
        try await withSimulatorAndClient { simulator, client in
            let arguments = #"{"city":"New York City"}"#
            simulator.enqueue(.toolCall(name: "get_weather", arguments: arguments, id: "call_abc"), for: .openAI)
            let response = try await send(
                client, simulator, .openAI, "/chat/completions", body: chatBody(.openAI, stream: true))
            let deltas = response.events.dropLast().compactMap { event -> JSONValue? in
                guard case .array(let choices) = event.json?["choices"] else { return nil }
                return choices.first
            }
            let fragments = deltas.flatMap { delta -> [JSONValue] in
                guard case .array(let calls) = delta["delta"]?["tool_calls"] else { return [] }
                return calls
            }
            let first = try #require(fragments.first)
            #expect(deltas.first?["delta"]?["role"] == "assistant")
            #expect(first["index"] == 0)
            #expect(first["id"] == "call_abc")
            #expect(first["type"] == "function")
            #expect(first["function"]?["name"] == "get_weather")
            #expect(first["function"]?["arguments"] == "")
            #expect(fragments.dropFirst().allSatisfy { $0["id"] == nil && $0["index"] == 0 })
            let joined = fragments.compactMap { $0["function"]?["arguments"]?.stringValue }.joined()
            #expect(joined == arguments)
            #expect(deltas.last?["finish_reason"] == "tool_calls")
        }
    }

    @Test func plainToolCallHasGeneratedIDAndNullContent() async throws {
        try await withSimulatorAndClient { simulator, client in
            simulator.enqueue(.toolCall(name: "lookup", arguments: #"{"q":1}"#), for: .openAI)
            let json = try await send(client, simulator, .openAI, "/chat/completions", body: chatBody(.openAI)).json
            guard case .array(let choices) = json["choices"], let message = choices.first?["message"] else {
                Issue.record("no message")
                return
            }
            #expect(message["content"] == .null)
            guard case .array(let calls) = message["tool_calls"], let call = calls.first else {
                Issue.record("no tool calls")
                return
            }
            #expect(call["id"]?.stringValue?.hasPrefix("call_") == true)
            #expect(call["type"] == "function")
            #expect(call["function"]?["name"] == "lookup")
            #expect(call["function"]?["arguments"] == #"{"q":1}"#)
            #expect(choices.first?["finish_reason"] == "tool_calls")
        }
    }

    @Test func modelsListsConfiguredIDs() async throws {
        try await withSimulatorAndClient { simulator, client in
            simulator.setModels(["gpt-a", "gpt-b"], for: .openAI)
            let json = try await send(client, simulator, .openAI, "/models", method: .GET).json
            #expect(json["object"] == "list")
            guard case .array(let data) = json["data"] else { Issue.record("no data"); return }
            #expect(data.compactMap { $0["id"]?.stringValue } == ["gpt-a", "gpt-b"])
            #expect(data.allSatisfy { $0["object"] == "model" && $0["owned_by"] != nil && $0["created"] != nil })
        }
    }

    @Test func embeddingsAreDeterministicVectors() async throws {
        try await withSimulatorAndClient { simulator, client in
            let body = #"{"model":"text-embedding-3-small","input":["hello world","hello world","other"]}"#
            let json = try await send(client, simulator, .openAI, "/embeddings", body: body).json
            #expect(json["object"] == "list")
            #expect(json["model"] == "text-embedding-3-small")
            #expect(json["usage"]?["prompt_tokens"] == 5)
            guard case .array(let data) = json["data"], data.count == 3 else { Issue.record("no data"); return }
            #expect(data.map { $0["index"] } == [0, 1, 2])
            #expect(data.allSatisfy { $0["object"] == "embedding" })
            guard case .array(let first) = data[0]["embedding"] else { Issue.record("no vector"); return }
            #expect(first.count == 8)
            #expect(data[0]["embedding"] == data[1]["embedding"])
            #expect(data[0]["embedding"] != data[2]["embedding"])

            let sized = try await send(
                client, simulator, .openAI, "/embeddings",
                body: #"{"model":"text-embedding-3-small","input":"hello world","dimensions":16}"#
            ).json
            guard case .array(let sizedData) = sized["data"], case .array(let vector) = sizedData.first?["embedding"]
            else {
                Issue.record("no vector")
                return
            }
            #expect(vector.count == 16)
        }
    }

    @Test func authenticationAndValidationErrors() async throws {
        try await withSimulatorAndClient { simulator, client in
            let missingKey = try await send(
                client, simulator, .openAI, "/chat/completions", body: chatBody(.openAI), headers: [])
            #expect(missingKey.status == 401)
            #expect(try missingKey.json["error"]?["type"] == "invalid_request_error")

            simulator.requireAPIKey("sk-right", for: .openAI)
            let wrongKey = try await send(
                client, simulator, .openAI, "/chat/completions", body: chatBody(.openAI),
                headers: authHeaders(.openAI, key: "sk-wrong-key-000"))
            #expect(wrongKey.status == 401)
            let error = try wrongKey.json["error"]
            #expect(error?["code"] == "invalid_api_key")
            #expect(error?["param"] == .null)
            #expect(error?["message"]?.stringValue?.contains("sk-wrong-key-000") == false)
            #expect(wrongKey.header("x-request-id") != nil)

            let right = authHeaders(.openAI, key: "sk-right")
            let ok = try await send(
                client, simulator, .openAI, "/chat/completions", body: chatBody(.openAI), headers: right)
            #expect(ok.status == 200)

            let garbage = try await send(client, simulator, .openAI, "/chat/completions", body: "{nope", headers: right)
            #expect(garbage.status == 400)
            #expect(try garbage.json["error"]?["type"] == "invalid_request_error")

            let noModel = try await send(
                client, simulator, .openAI, "/chat/completions", body: #"{"messages":[]}"#, headers: right)
            #expect(noModel.status == 400)

            let noMessages = try await send(
                client, simulator, .openAI, "/chat/completions", body: #"{"model":"gpt-4o"}"#, headers: right)
            #expect(noMessages.status == 400)
            #expect(try noMessages.json["error"]?["param"] == "messages")

            let wrongMethod = try await send(
                client, simulator, .openAI, "/chat/completions", method: .GET, headers: right)
            #expect(wrongMethod.status == 404)
            #expect(try wrongMethod.json["error"]?["type"] == "invalid_request_error")

            let unknown = try await send(client, simulator, .openAI, "/nothing-here", headers: right)
            #expect(unknown.status == 404)
        }
    }
}
