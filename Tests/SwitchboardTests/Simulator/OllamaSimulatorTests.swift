import AsyncHTTPClient
import Foundation
import NIOCore
import Switchboard
import SwitchboardTesting
import Testing

@Suite("Simulator: Ollama")
struct OllamaSimulatorTests {
    private func chat(
        model: String = "llama3.2", text: String = "Hello there", stream: Bool, extra: String = ""
    )
        -> String
    {
        #"{"model":"\#(model)","messages":[{"role":"user","content":"\#(text)"}],"stream":\#(stream)\#(extra)}"#
    }

    @Test func rootVersionAndBaseURL() async throws {
        try await withSimulatorAndClient { simulator, client in
            #expect(simulator.baseURL(for: .ollama) == "http://127.0.0.1:\(simulator.port)")
            let root = try await send(client, simulator, .ollama, "/", method: .GET)
            #expect(root.status == 200)
            #expect(root.text == "Ollama is running")
            let version = try await send(client, simulator, .ollama, "/api/version", method: .GET)
            #expect(try version.json == ["version": "0.12.0"])
            #expect(simulator.requests(for: .ollama).map(\.path) == ["/", "/api/version"])
        }
    }

    @Test func streamedLinesArriveBeforeTheBodyEnds() async throws {
        try await withSimulatorAndClient { simulator, client in
            let gate = SimulatorGate()
            simulator.enqueue(
                SimulatedReply(text: "The sky is blue", chunkSize: 4).with(.holdAfterEvents(1, gate)), for: .ollama)
            let response = try await client.execute(
                makeRequest(simulator, .ollama, "/api/chat", body: chat(stream: true)), timeout: .seconds(10))
            #expect(response.status == .ok)
            #expect(response.headers.first(name: "content-type") == "application/x-ndjson")
            var body = IncrementalBody(response)
            let gotFirst = try await body.read { $0.lines.count >= 1 }
            // The server is holding the rest back, so this line arrived while the body was still open.
            #expect(gotFirst)
            #expect(!body.ended)
            #expect(body.lines.count == 1)
            let first = try body.jsonLines()[0]
            #expect(first["message"] == ["role": "assistant", "content": "The "])
            #expect(first["done"] == false)
            #expect(first["model"] == "llama3.2")
            #expect(first["created_at"]?.stringValue?.isEmpty == false)

            gate.open()
            try await body.readToEnd()
            let lines = try body.jsonLines()
            #expect(lines.count == 5)
            let text = lines.compactMap { $0["message"]?["content"]?.stringValue }.joined()
            #expect(text == "The sky is blue")
            let last = try #require(lines.last)
            #expect(last["done"] == true)
            #expect(last["done_reason"] == "stop")
            #expect(last["message"]?["content"] == "")
            for key in ["total_duration", "load_duration", "prompt_eval_count", "prompt_eval_duration", "eval_count"] {
                #expect(last[key] != nil, "missing \(key)")
            }
        }
    }

    @Test func nonStreamingReplyHasConsistentMetrics() async throws {
        try await withSimulatorAndClient { simulator, client in
            simulator.enqueue(
                .text("Eleven degrees.", usage: SimulatedUsage(inputTokens: 94, outputTokens: 11)), for: .ollama)
            let response = try await send(client, simulator, .ollama, "/api/chat", body: chat(stream: false))
            #expect(response.status == 200)
            #expect(response.header("content-type") == "application/json")
            let json = try response.json
            #expect(json["message"] == ["role": "assistant", "content": "Eleven degrees."])
            #expect(json["done"] == true)
            #expect(json["done_reason"] == "stop")
            #expect(json["prompt_eval_count"] == 94)
            #expect(json["eval_count"] == 11)
            guard case .integer(let evalDuration) = json["eval_duration"],
                case .integer(let total) = json["total_duration"],
                case .integer(let load) = json["load_duration"],
                case .integer(let prompt) = json["prompt_eval_duration"]
            else {
                Issue.record("durations are not integers")
                return
            }
            let tokensPerSecond = 11 / Double(evalDuration) * 1e9
            #expect(tokensPerSecond.isFinite && tokensPerSecond > 0)
            #expect(total >= load + prompt + evalDuration)

            // A length finish and a warm start.
            simulator.enqueue(SimulatedReply(text: "cut", finishReason: "length"), for: .ollama)
            let second = try await send(client, simulator, .ollama, "/api/chat", body: chat(stream: false))
            #expect(try second.json["done_reason"] == "length")
            guard case .integer(let warmLoad) = try second.json["load_duration"] else {
                Issue.record("no load_duration")
                return
            }
            #expect(warmLoad < load)
        }
    }

    @Test func toolCallsArriveWholeInOneLine() async throws {
        try await withSimulatorAndClient { simulator, client in
            simulator.enqueue(
                .toolCall(name: "get_weather", arguments: #"{"city":"Toronto"}"#, id: "call_1"), for: .ollama)
            simulator.enqueue(.toolCall(name: "get_weather", arguments: #"{"city":"Paris"}"#), for: .ollama)
            let streamed = try await send(client, simulator, .ollama, "/api/chat", body: chat(stream: true))
            let lines = try streamed.text.split(separator: "\n").map { try JSONValue.parse(String($0)) }
            #expect(lines.count == 2)
            #expect(
                lines[0]["message"]?["tool_calls"]
                    == [
                        [
                            "function": ["index": 0, "name": "get_weather", "arguments": ["city": "Toronto"]],
                            "id": "call_1",
                        ]
                    ])
            #expect(lines[1]["done"] == true)
            #expect(lines[1]["done_reason"] == "stop")

            let plain = try await send(client, simulator, .ollama, "/api/chat", body: chat(stream: false))
            #expect(
                try plain.json["message"]?["tool_calls"]
                    == [["function": ["index": 0, "name": "get_weather", "arguments": ["city": "Paris"]]]])
        }
    }

    @Test func errorsUseOllamasShape() async throws {
        try await withSimulatorAndClient { simulator, client in
            let unknown = try await send(
                client, simulator, .ollama, "/api/chat", body: chat(model: "nope", stream: false))
            #expect(unknown.status == 404)
            #expect(try unknown.json == ["error": "model \"nope\" not found, try pulling it first"])

            simulator.enqueue(.failure(status: 503), for: .ollama)
            let busy = try await send(client, simulator, .ollama, "/api/chat", body: chat(stream: true))
            #expect(busy.status == 503)
            #expect(try busy.json == ["error": "server busy, please try again.  maximum pending requests exceeded"])

            let noModel = try await send(client, simulator, .ollama, "/api/chat", body: #"{"messages":[]}"#)
            #expect(noModel.status == 400)
            #expect(try noModel.json == ["error": "model is required"])
        }
    }

    @Test func inStreamErrorCutAndMalformedLines() async throws {
        try await withSimulatorAndClient { simulator, client in
            let reply = SimulatedReply(text: "abcdefgh", chunkSize: 2)
            let message = "an error was encountered while running the model"
            simulator.enqueue(
                reply.with(.inStreamError(afterEvents: 2, type: "api_error", message: message)), for: .ollama)
            simulator.enqueue(reply.with(.malformedChunk(afterEvents: 1)), for: .ollama)
            simulator.enqueue(reply.with(.cutStream(afterEvents: 3)), for: .ollama)

            let failed = try await send(client, simulator, .ollama, "/api/chat", body: chat(stream: true))
            #expect(failed.status == 200)
            let lines = try failed.text.split(separator: "\n").map { try JSONValue.parse(String($0)) }
            #expect(lines.count == 3)
            #expect(lines.last == ["error": .string(message)])

            let malformed = try await send(client, simulator, .ollama, "/api/chat", body: chat(stream: true))
            let raw = malformed.text.split(separator: "\n")
            #expect(raw.count == 6)
            #expect((try? JSONValue.parse(String(raw[1]))) == nil)

            let (cut, failure) = try await sendCollectingPartial(
                client, simulator, .ollama, "/api/chat", body: chat(stream: true))
            #expect(failure != nil)
            let cutLines = cut.text.split(separator: "\n")
            #expect(cutLines.count == 3)
            #expect(!cut.text.contains(#""done":true"#))
        }
    }

    @Test func chatLoadsTheModelAndKeepAliveZeroUnloads() async throws {
        try await withSimulatorAndClient { simulator, client in
            #expect(simulator.loadedModels.isEmpty)
            _ = try await send(client, simulator, .ollama, "/api/chat", body: chat(stream: false))
            #expect(simulator.loadedModels == ["llama3.2:latest"])
            let ps = try await send(client, simulator, .ollama, "/api/ps", method: .GET)
            let model = try ps.json["models"]?[0]
            #expect(model?["name"] == "llama3.2:latest")
            #expect(model?["size_vram"] == model?["size"])
            #expect(model?["context_length"] == 4096)
            #expect(model?["details"]?["family"] == "llama")
            let expires = try #require(model?["expires_at"]?.stringValue)
            let date = try Date(expires, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true))
            #expect(abs(date.timeIntervalSinceNow - 300) < 30)

            _ = try await send(
                client, simulator, .ollama, "/api/chat", body: chat(stream: false, extra: #","keep_alive":0"#))
            #expect(simulator.loadedModels.isEmpty)
            let after = try await send(client, simulator, .ollama, "/api/ps", method: .GET)
            #expect(try after.json == ["models": []])
        }
    }

    @Test func showDescribesAnInstalledModel() async throws {
        try await withSimulatorAndClient { simulator, client in
            let show = try await send(client, simulator, .ollama, "/api/show", body: #"{"model":"llava"}"#)
            #expect(show.status == 200)
            let json = try show.json
            #expect(json["details"]?["family"] == "llama")
            #expect(json["details"]?["format"] == "gguf")
            #expect(json["model_info"]?["general.architecture"] == "llama")
            #expect(json["model_info"]?["llama.context_length"] == 32768)
            #expect(json["capabilities"]?.contains("vision") == true)
            #expect(json["modified_at"]?.stringValue?.isEmpty == false)

            let unknown = try await send(client, simulator, .ollama, "/api/show", body: #"{"model":"nope"}"#)
            #expect(unknown.status == 404)
            #expect(try unknown.json["error"] != nil)
        }
    }

    @Test func embedNeedsAnEmbeddingModel() async throws {
        try await withSimulatorAndClient { simulator, client in
            let embed = try await send(
                client, simulator, .ollama, "/api/embed", body: #"{"model":"nomic-embed-text","input":["a b","c"]}"#)
            #expect(embed.status == 200)
            let json = try embed.json
            guard case .array(let embeddings) = json["embeddings"] else {
                Issue.record("no embeddings")
                return
            }
            #expect(embeddings.count == 2)
            #expect(json["prompt_eval_count"] == 3)
            #expect(json["total_duration"] != nil)

            let chatModel = try await send(
                client, simulator, .ollama, "/api/embed", body: #"{"model":"llama3.2","input":"x"}"#)
            #expect(chatModel.status == 400)
            #expect(try chatModel.json["error"]?.stringValue?.hasSuffix("does not support embeddings") == true)
        }
    }

    @Test func pullStreamsProgressAndInstalls() async throws {
        try await withSimulatorAndClient { simulator, client in
            #expect(!simulator.localModels.map(\.name).contains("qwen2.5:0.5b"))
            let response = try await send(client, simulator, .ollama, "/api/pull", body: #"{"model":"qwen2.5:0.5b"}"#)
            #expect(response.status == 200)
            #expect(response.header("content-type") == "application/x-ndjson")
            let lines = try response.text.split(separator: "\n").map { try JSONValue.parse(String($0)) }
            let statuses = lines.compactMap { $0["status"]?.stringValue }
            #expect(statuses.count == lines.count)
            #expect(statuses.first == "pulling manifest")
            #expect(Array(statuses.suffix(3)) == ["verifying sha256 digest", "writing manifest", "success"])

            let layerLines = lines.filter { $0["digest"] != nil }
            var totals: [String: Int] = [:]
            var lastCompleted: [String: Int] = [:]
            for line in layerLines {
                guard let digest = line["digest"]?.stringValue, case .integer(let total) = line["total"] else {
                    Issue.record("bad layer line \(line)")
                    continue
                }
                #expect(digest.hasPrefix("sha256:") && digest.count == 71)
                #expect(line["status"]?.stringValue == "pulling \(digest.dropFirst(7).prefix(12))")
                totals[digest] = total
                if case .integer(let completed) = line["completed"] {
                    #expect(completed >= lastCompleted[digest, default: 0])
                    #expect(completed <= total)
                    lastCompleted[digest] = completed
                }
            }
            #expect((2...3).contains(totals.count))
            #expect(totals.values.reduce(0, +) == 397_821_319)
            #expect(lastCompleted == totals)

            let installed = try #require(simulator.localModels.first { $0.name == "qwen2.5:0.5b" })
            #expect(installed.digest == "a8b0c51577010a279d933d14c2a8ab4b268079d44c5c8830c0a93900f1827c67")
            #expect(simulator.pullCount(for: "qwen2.5:0.5b") == 1)
            let tags = try await send(client, simulator, .ollama, "/api/tags", method: .GET)
            #expect(try tags.json["models"]?.contains("qwen2.5:0.5b") == true)

            let quiet = try await send(
                client, simulator, .ollama, "/api/pull", body: #"{"model":"llama3.2","stream":false}"#)
            #expect(try quiet.json == ["status": "success"])
            #expect(simulator.pullCount(for: "llama3.2") == 1)
            #expect(simulator.pullCount(for: "llama3.2:latest") == 1)
        }
    }

    @Test func pullInstallsOnlyOnSuccessAndReplacesChangedDigests() async throws {
        try await withSimulatorAndClient { simulator, client in
            let newer = SimulatedLocalModel(
                name: "llama3.2", size: 2_100_000_000, digest: String(repeating: "ab", count: 32))
            simulator.setUpstreamModels([newer])
            let gate = SimulatorGate()
            simulator.setPullFaults([.holdAfterEvents(2, gate)])
            let response = try await client.execute(
                makeRequest(simulator, .ollama, "/api/pull", body: #"{"model":"llama3.2"}"#), timeout: .seconds(10))
            var body = IncrementalBody(response)
            _ = try await body.read { $0.lines.count >= 2 }
            #expect(!body.ended)
            #expect(body.lines.count == 2)
            #expect(simulator.localModels.first { $0.name == "llama3.2:latest" }?.digest != newer.digest)
            gate.open()
            try await body.readToEnd()
            #expect(try body.jsonLines().last == ["status": "success"])
            #expect(simulator.localModels.first { $0.name == "llama3.2:latest" }?.digest == newer.digest)
            #expect(simulator.localModels.first { $0.name == "llama3.2:latest" }?.size == 2_100_000_000)

            // A cut pull installs nothing.
            simulator.setUpstreamModels([SimulatedLocalModel(name: "phi3:mini", size: 2_200_000_000)])
            simulator.setPullFaults([.cutStream(afterEvents: 3)])
            let (_, failure) = try await sendCollectingPartial(
                client, simulator, .ollama, "/api/pull", body: #"{"model":"phi3:mini"}"#)
            #expect(failure != nil)
            #expect(!simulator.localModels.map(\.name).contains("phi3:mini"))
            #expect(simulator.pullCount(for: "phi3:mini") == 1)

            simulator.setPullFaults([
                .httpError(status: 500, type: nil, code: nil, message: "disk full", retryAfter: nil)
            ])
            let failed = try await send(client, simulator, .ollama, "/api/pull", body: #"{"model":"phi3:mini"}"#)
            #expect(failed.status == 500)
            #expect(try failed.json == ["error": "disk full"])
            #expect(simulator.pullCount(for: "phi3:mini") == 2)
        }
    }

    @Test func pullOfAnUnknownModelEndsWithAnErrorLine() async throws {
        try await withSimulatorAndClient { simulator, client in
            let response = try await send(client, simulator, .ollama, "/api/pull", body: #"{"model":"nope"}"#)
            #expect(response.status == 200)
            let lines = try response.text.split(separator: "\n").map { try JSONValue.parse(String($0)) }
            #expect(lines == [["status": "pulling manifest"], ["error": "pull model manifest: file does not exist"]])
            #expect(simulator.pullCount(for: "nope") == 1)
            #expect(!simulator.localModels.map(\.name).contains("nope:latest"))
        }
    }

    @Test func deleteRemovesFromTags() async throws {
        try await withSimulatorAndClient { simulator, client in
            let deleted = try await send(
                client, simulator, .ollama, "/api/delete", method: .DELETE, body: #"{"model":"llava"}"#)
            #expect(deleted.status == 200)
            #expect(deleted.body.isEmpty)
            let tags = try await send(client, simulator, .ollama, "/api/tags", method: .GET)
            let names = try tags.json["models"].map { value -> [String] in
                guard case .array(let models) = value else { return [] }
                return models.compactMap { $0["name"]?.stringValue }
            }
            #expect(names == ["llama3.2:latest", "nomic-embed-text:latest"])
            let again = try await send(
                client, simulator, .ollama, "/api/delete", method: .DELETE, body: #"{"model":"llava"}"#)
            #expect(again.status == 404)
            #expect(try again.json == ["error": "model \"llava\" not found"])

            simulator.setModels(["mistral"], for: .ollama)
            #expect(simulator.localModels.map(\.name) == ["mistral:latest"])
            let first = try #require(simulator.localModels.first)
            #expect(first.digest.count == 64 && first.digest.allSatisfy(\.isHexDigit))
        }
    }
}
