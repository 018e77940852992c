import AsyncHTTPClient
import Foundation
import NIOCore
import Switchboard
import SwitchboardTesting
import Testing

@Suite("Simulator: Gemini")
struct GeminiSimulatorTests {
    private let generate = "/models/gemini-2.5-flash:generateContent"
    private let stream = "/models/gemini-2.5-flash:streamGenerateContent?alt=sse"
    private let usage = SimulatedUsage(inputTokens: 7, outputTokens: 9, cachedInputTokens: 3, reasoningTokens: 2)

    @Test func plainResponseShapeAndUsage() async throws {
        try await withSimulatorAndClient { simulator, client in
            #expect(simulator.baseURL(for: .gemini) == "http://127.0.0.1:\(simulator.port)/gemini/v1beta")
            simulator.enqueue(.text("Hello! How can I help?", usage: usage), for: .gemini)
            let response = try await send(client, simulator, .gemini, generate, body: chatBody(.gemini))
            #expect(response.status == 200)
            let json = try response.json
            let candidate = json["candidates"]?[0]
            #expect(candidate?["content"] == ["parts": [["text": "Hello! How can I help?"]], "role": "model"])
            #expect(candidate?["finishReason"] == "STOP")
            #expect(candidate?["index"] == 0)
            let metadata = json["usageMetadata"]
            #expect(metadata?["promptTokenCount"] == 10)
            #expect(metadata?["cachedContentTokenCount"] == 3)
            #expect(metadata?["candidatesTokenCount"] == 7)
            #expect(metadata?["thoughtsTokenCount"] == 2)
            #expect(metadata?["totalTokenCount"] == 19)
            #expect(json["modelVersion"] == "gemini-2.5-flash")
            #expect(json["responseId"]?.stringValue?.isEmpty == false)

            // Zero counts are omitted; the echo reply answers when nothing is queued.
            let echo = try await send(client, simulator, .gemini, generate, body: chatBody(.gemini, text: "ping me"))
            let echoJSON = try echo.json
            #expect(echoJSON["candidates"]?[0]?["content"]?["parts"]?[0]?["text"] == "Simulated reply to: ping me")
            #expect(echoJSON["usageMetadata"]?["cachedContentTokenCount"] == nil)
            #expect(echoJSON["usageMetadata"]?["thoughtsTokenCount"] == nil)
        }
    }

    @Test func streamIsCRLFSeparatedWithRunningUsage() async throws {
        try await withSimulatorAndClient { simulator, client in
            simulator.enqueue(SimulatedReply(text: "Hello there, world", usage: usage, chunkSize: 5), for: .gemini)
            let response = try await send(client, simulator, .gemini, stream, body: chatBody(.gemini))
            #expect(response.status == 200)
            #expect(response.header("content-type")?.hasPrefix("text/event-stream") == true)
            let bytes = response.body
            // Every LF is part of a CRLF, and events end with CRLF CRLF.
            for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
                #expect(index > 0 && bytes[index - 1] == UInt8(ascii: "\r"))
            }
            #expect(response.text.hasSuffix("\r\n\r\n"))
            #expect(!response.text.contains("[DONE]"))
            #expect(!response.text.contains("event:"))

            let chunks = response.events.compactMap(\.json)
            #expect(chunks.count == response.events.count)
            #expect(chunks.count == 4)
            let texts = chunks.compactMap { $0["candidates"]?[0]?["content"]?["parts"]?[0]?["text"]?.stringValue }
            #expect(texts == ["Hello", " ther", "e, wo", "rld"])
            for chunk in chunks.dropLast() {
                #expect(chunk["candidates"]?[0]?["finishReason"] == nil)
                #expect(chunk["usageMetadata"]?["promptTokenCount"] == 10)
            }
            let last = try #require(chunks.last)
            #expect(last["candidates"]?[0]?["finishReason"] == "STOP")
            #expect(last["usageMetadata"]?["candidatesTokenCount"] == 7)
            #expect(last["usageMetadata"]?["totalTokenCount"] == 19)
            let running = chunks.map { $0["usageMetadata"]?["totalTokenCount"] }
            #expect(running.allSatisfy { $0 != nil })
        }
    }

    @Test func functionCallArrivesWholeAsAPart() async throws {
        try await withSimulatorAndClient { simulator, client in
            let call = SimulatedReply.toolCall(
                name: "get_weather", arguments: #"{"city":"Paris","days":2}"#, id: "fc-1")
            simulator.enqueue(call, for: .gemini)
            simulator.enqueue(call, for: .gemini)
            let plain = try await send(client, simulator, .gemini, generate, body: chatBody(.gemini))
            let part = try plain.json["candidates"]?[0]?["content"]?["parts"]?[0]
            #expect(
                part == ["functionCall": ["name": "get_weather", "args": ["city": "Paris", "days": 2], "id": "fc-1"]])
            #expect(try plain.json["candidates"]?[0]?["finishReason"] == "STOP")

            let streamed = try await send(client, simulator, .gemini, stream, body: chatBody(.gemini))
            let chunks = streamed.events.compactMap(\.json)
            #expect(chunks.count == 1)
            #expect(chunks.first?["candidates"]?[0]?["content"]?["parts"]?[0] == part)
            #expect(chunks.first?["candidates"]?[0]?["finishReason"] == "STOP")
        }
    }

    @Test func blockedPromptAndSafetyFinish() async throws {
        try await withSimulatorAndClient { simulator, client in
            simulator.enqueue(.blockedPrompt(), for: .gemini)
            simulator.enqueue(.blockedPrompt(reason: "PROHIBITED_CONTENT"), for: .gemini)
            simulator.enqueue(SimulatedReply(text: "partial", finishReason: "SAFETY"), for: .gemini)
            let blocked = try await send(client, simulator, .gemini, generate, body: chatBody(.gemini))
            #expect(blocked.status == 200)
            let json = try blocked.json
            #expect(json["candidates"] == nil)
            #expect(json["promptFeedback"]?["blockReason"] == "SAFETY")
            #expect(json["usageMetadata"]?["promptTokenCount"] != nil)

            let streamed = try await send(client, simulator, .gemini, stream, body: chatBody(.gemini))
            #expect(streamed.events.count == 1)
            #expect(streamed.events.first?.json?["promptFeedback"]?["blockReason"] == "PROHIBITED_CONTENT")

            let filtered = try await send(client, simulator, .gemini, generate, body: chatBody(.gemini))
            let candidate = try filtered.json["candidates"]?[0]
            #expect(candidate?["finishReason"] == "SAFETY")
            #expect(candidate?["content"] == nil)
        }
    }

    @Test func wrongOrMissingKeyIsInvalidArgument() async throws {
        try await withSimulatorAndClient { simulator, client in
            simulator.requireAPIKey("good-key", for: .gemini)
            for headers in [authHeaders(.gemini, key: "bad-key"), []] {
                let response = try await send(
                    client, simulator, .gemini, generate, body: chatBody(.gemini), headers: headers)
                #expect(response.status == 400)
                let error = try response.json["error"]
                #expect(error?["code"] == 400)
                #expect(error?["status"] == "INVALID_ARGUMENT")
                #expect(error?["message"] == "API key not valid. Please pass a valid API key.")
                #expect(
                    error?["details"]?[0]
                        == [
                            "@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID",
                            "domain": "googleapis.com", "metadata": ["service": "generativelanguage.googleapis.com"],
                        ])
            }
            let good = try await send(
                client, simulator, .gemini, generate, body: chatBody(.gemini),
                headers: authHeaders(.gemini, key: "good-key"))
            #expect(good.status == 200)
            // The real API also takes `?key=`.
            let query = try await send(
                client, simulator, .gemini, generate + "?key=good-key", body: chatBody(.gemini), headers: [])
            #expect(query.status == 200)
        }
    }

    @Test func rateLimitCarriesQuotaFailureAndRetryInfo() async throws {
        try await withSimulatorAndClient { simulator, client in
            simulator.enqueue(.failure(status: 429, retryAfter: .milliseconds(1500)), for: .gemini)
            simulator.enqueue(.failure(status: 429, code: "PerDay", retryAfter: .seconds(3)), for: .gemini)
            simulator.enqueue(.failure(status: 503), for: .gemini)
            simulator.enqueue(
                .failure(status: 400, type: "FAILED_PRECONDITION", message: "Enable billing"), for: .gemini)

            let limited = try await send(client, simulator, .gemini, generate, body: chatBody(.gemini))
            #expect(limited.status == 429)
            #expect(limited.header("retry-after") == nil)
            let error = try limited.json["error"]
            #expect(error?["code"] == 429)
            #expect(error?["status"] == "RESOURCE_EXHAUSTED")
            guard case .array(let details) = error?["details"] else {
                Issue.record("no details")
                return
            }
            let retry = details.first { $0["@type"] == "type.googleapis.com/google.rpc.RetryInfo" }
            #expect(retry?["retryDelay"] == "1.5s")
            let quota = details.first { $0["@type"] == "type.googleapis.com/google.rpc.QuotaFailure" }
            #expect(quota?["violations"]?[0]?["quotaId"]?.stringValue?.contains("PerMinute") == true)

            let perDay = try await send(client, simulator, .gemini, stream, body: chatBody(.gemini))
            #expect(perDay.status == 429)
            #expect(try perDay.json.contains("GenerateRequestsPerDayPerProjectPerModel"))
            #expect(
                try perDay.json.contains(["@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "3s"]))

            let unavailable = try await send(client, simulator, .gemini, generate, body: chatBody(.gemini))
            #expect(unavailable.status == 503)
            #expect(try unavailable.json["error"]?["status"] == "UNAVAILABLE")

            let precondition = try await send(client, simulator, .gemini, generate, body: chatBody(.gemini))
            #expect(precondition.status == 400)
            #expect(try precondition.json["error"]?["status"] == "FAILED_PRECONDITION")
            #expect(try precondition.json["error"]?["message"] == "Enable billing")
        }
    }

    @Test func inStreamErrorAndMalformedChunk() async throws {
        try await withSimulatorAndClient { simulator, client in
            let text = SimulatedReply(text: "abcdefgh", chunkSize: 2)
            simulator.enqueue(
                text.with(.inStreamError(afterEvents: 2, type: "INTERNAL", message: "boom")), for: .gemini)
            simulator.enqueue(text.with(.malformedChunk(afterEvents: 1)), for: .gemini)

            let failed = try await send(client, simulator, .gemini, stream, body: chatBody(.gemini))
            #expect(failed.status == 200)
            #expect(failed.events.count == 3)
            #expect(failed.events.last?.json == ["error": ["code": 500, "message": "boom", "status": "INTERNAL"]])

            let malformed = try await send(client, simulator, .gemini, stream, body: chatBody(.gemini))
            #expect(malformed.events.count == 5)
            #expect(malformed.events[1].json == nil)
            #expect(malformed.events.filter { $0.json != nil }.count == 4)
        }
    }

    @Test func validatesContentsAndRoles() async throws {
        try await withSimulatorAndClient { simulator, client in
            let missing = try await send(client, simulator, .gemini, generate, body: #"{"generationConfig":{}}"#)
            #expect(missing.status == 400)
            #expect(try missing.json["error"]?["status"] == "INVALID_ARGUMENT")
            let role = try await send(
                client, simulator, .gemini, generate,
                body: #"{"contents":[{"role":"assistant","parts":[{"text":"hi"}]}]}"#)
            #expect(role.status == 400)
            #expect(try role.json["error"]?["message"] == "Please use a valid role: user, model.")
            // A `models/` prefix in the path is accepted.
            let prefixed = try await send(
                client, simulator, .gemini, "/models/models/gemini-2.5-flash:generateContent", body: chatBody(.gemini))
            #expect(prefixed.status == 200)
        }
    }

    @Test func modelsArePaged() async throws {
        try await withSimulatorAndClient { simulator, client in
            simulator.setModels(["g-1", "g-2", "g-3", "g-4", "text-embedding-x"], for: .gemini)
            var names: [String] = []
            var token: String?
            var pages = 0
            repeat {
                let path = "/models?pageSize=2" + (token.map { "&pageToken=\($0)" } ?? "")
                let page = try await send(client, simulator, .gemini, path, method: .GET)
                #expect(page.status == 200)
                let json = try page.json
                guard case .array(let models) = json["models"] else { break }
                #expect(models.count <= 2)
                names += models.compactMap { $0["name"]?.stringValue }
                token = json["nextPageToken"]?.stringValue
                pages += 1
            } while token != nil && pages < 10
            #expect(pages == 3)
            #expect(names == ["models/g-1", "models/g-2", "models/g-3", "models/g-4", "models/text-embedding-x"])

            let one = try await send(client, simulator, .gemini, "/models/g-2", method: .GET)
            let model = try one.json
            #expect(model["name"] == "models/g-2")
            #expect(model["displayName"]?.stringValue?.isEmpty == false)
            #expect(model["inputTokenLimit"]?.stringValue == nil && model["inputTokenLimit"] != nil)
            #expect(model["supportedGenerationMethods"]?.contains("generateContent") == true)
            let embedding = try await send(client, simulator, .gemini, "/models/text-embedding-x", method: .GET)
            #expect(try embedding.json["supportedGenerationMethods"]?.contains("embedContent") == true)

            let unknown = try await send(client, simulator, .gemini, "/models/nope", method: .GET)
            #expect(unknown.status == 404)
            #expect(try unknown.json["error"]?["status"] == "NOT_FOUND")
        }
    }

    @Test func embeddingsAndTokenCounts() async throws {
        try await withSimulatorAndClient { simulator, client in
            let single = try await send(
                client, simulator, .gemini, "/models/gemini-embedding-001:embedContent",
                body: #"{"content":{"parts":[{"text":"meaning of life"}]},"outputDimensionality":16}"#)
            #expect(single.status == 200)
            guard case .array(let values) = try single.json["embedding"]?["values"] else {
                Issue.record("no values")
                return
            }
            #expect(values.count == 16)

            let batch = try await send(
                client, simulator, .gemini, "/models/gemini-embedding-001:batchEmbedContents",
                body: """
                    {"requests":[
                    {"model":"models/gemini-embedding-001","content":{"parts":[{"text":"meaning of life"}]},"outputDimensionality":16},
                    {"model":"models/gemini-embedding-001","content":{"parts":[{"text":"second"}]}}]}
                    """)
            let batchJSON = try batch.json
            guard case .array(let embeddings) = batchJSON["embeddings"] else {
                Issue.record("no embeddings")
                return
            }
            #expect(embeddings.count == 2)
            #expect(embeddings[0]["values"] == .array(values))
            #expect(embeddings[1]["values"] != .array(values))

            let count = try await send(
                client, simulator, .gemini, "/models/gemini-2.5-flash:countTokens",
                body: #"{"contents":[{"role":"user","parts":[{"text":"one two three four"}]}]}"#)
            #expect(try count.json["totalTokens"] == 4)
            let wrapped = try await send(
                client, simulator, .gemini, "/models/gemini-2.5-flash:countTokens",
                body:
                    #"{"generateContentRequest":{"model":"models/gemini-2.5-flash","contents":[{"parts":[{"text":"a b"}]}],"systemInstruction":{"parts":[{"text":"be brief"}]}}}"#
            )
            #expect(try wrapped.json["totalTokens"] == 4)
        }
    }
}
