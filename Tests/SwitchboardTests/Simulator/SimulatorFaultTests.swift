import AsyncHTTPClient
import Foundation
import NIOCore
import Switchboard
import SwitchboardTesting
import Testing

@Suite("Simulator: faults")
struct SimulatorFaultTests {
    @Test func openAIRateLimitCarriesRetryHeaders() async throws {
        try await withSimulatorAndClient { simulator, client in
            simulator.enqueue(.failure(status: 429, retryAfter: .seconds(2)), for: .openAI)
            let response = try await send(client, simulator, .openAI, "/chat/completions", body: chatBody(.openAI))
            #expect(response.status == 429)
            #expect(response.header("retry-after") == "2")
            #expect(response.header("retry-after-ms") == "2000")
            #expect(response.header("x-ratelimit-remaining-requests") == "0")
            #expect(response.header("x-ratelimit-reset-requests") == "2s")
            #expect(response.header("x-request-id") != nil)
            let error = try response.json["error"]
            #expect(error?["type"] == "requests")
            #expect(error?["code"] == "rate_limit_exceeded")
            #expect(error?["message"]?.stringValue?.isEmpty == false)
            #expect(error?["param"] == .null)

            // The failure was consumed; the next request succeeds.
            let next = try await send(client, simulator, .openAI, "/chat/completions", body: chatBody(.openAI))
            #expect(next.status == 200)
        }
    }

    @Test func anthropicRateLimitAndOverload() async throws {
        try await withSimulatorAndClient { simulator, client in
            simulator.enqueue(.failure(status: 429, retryAfter: .milliseconds(1500)), for: .anthropic)
            simulator.enqueue(.failure(status: 529), for: .anthropic)
            let limited = try await send(client, simulator, .anthropic, "/v1/messages", body: chatBody(.anthropic))
            #expect(limited.status == 429)
            #expect(limited.header("retry-after") == "1.5")
            #expect(limited.header("anthropic-ratelimit-requests-remaining") == "0")
            #expect(limited.header("retry-after-ms") == nil)
            #expect(try limited.json["error"]?["type"] == "rate_limit_error")

            let overloaded = try await send(client, simulator, .anthropic, "/v1/messages", body: chatBody(.anthropic))
            #expect(overloaded.status == 529)
            let json = try overloaded.json
            #expect(json["type"] == "error")
            #expect(json["error"] == ["type": "overloaded_error", "message": "Overloaded"])
            #expect(json["request_id"]?.stringValue == overloaded.header("request-id"))
        }
    }

    @Test func customErrorFieldsAndExtraHeaders() async throws {
        try await withSimulatorAndClient { simulator, client in
            simulator.enqueue(
                .failure(status: 429, type: "insufficient_quota", code: "insufficient_quota", message: "Out of quota")
                    .withHeaders([("x-should-retry", "false")]),
                for: .openAI
            )
            let response = try await send(client, simulator, .openAI, "/chat/completions", body: chatBody(.openAI))
            #expect(response.header("x-should-retry") == "false")
            let error = try response.json["error"]
            #expect(error?["type"] == "insufficient_quota")
            #expect(error?["code"] == "insufficient_quota")
            #expect(error?["message"] == "Out of quota")
        }
    }

    @Test func latencyDelaysTheResponseHead() async throws {
        try await withSimulatorAndClient { simulator, client in
            simulator.enqueue(SimulatedReply.text("late").with(.latency(.milliseconds(50))), for: .openAI)
            let clock = ContinuousClock()
            let started = clock.now
            let response = try await client.execute(
                makeRequest(simulator, .openAI, "/chat/completions", body: chatBody(.openAI)), timeout: .seconds(10))
            let headArrived = clock.now
            _ = try await response.body.collect(upTo: 1 << 20)
            #expect(headArrived - started >= .milliseconds(50))
        }
    }

    @Test func slowFirstByteSendsHeadFirst() async throws {
        try await withSimulatorAndClient { simulator, client in
            simulator.enqueue(SimulatedReply.text("slow").with(.slowFirstByte(.milliseconds(50))), for: .anthropic)
            let clock = ContinuousClock()
            let started = clock.now
            let response = try await client.execute(
                makeRequest(simulator, .anthropic, "/v1/messages", body: chatBody(.anthropic, stream: true)),
                timeout: .seconds(10))
            #expect(response.status == .ok)
            // The request is recorded before the reply starts.
            #expect(simulator.requests.count == 1)
            let headArrived = clock.now
            let body = try await response.body.collect(upTo: 1 << 20)
            let bodyDone = clock.now
            // The delay happened, and between head and body: the head was already there while the body was held back.
            #expect(bodyDone - started >= .milliseconds(50))
            #expect(headArrived < bodyDone)
            #expect(String(buffer: body).contains("message_stop"))
        }
    }

    @Test func eventsAreFlushedOneByOne() async throws {
        try await withSimulatorAndClient { simulator, client in
            // Held after two events: if the simulator buffered its events instead of flushing each,
            // nothing would arrive before the gate opens.
            let gate = SimulatorGate()
            let reply = SimulatedReply(text: "abcdefghijkl", chunkSize: 4).with(.holdAfterEvents(2, gate))
            simulator.enqueue(reply, for: .openAI)
            let response = try await client.execute(
                makeRequest(simulator, .openAI, "/chat/completions", body: chatBody(.openAI, stream: true)),
                timeout: .seconds(10))
            var text = ""
            var body = response.body.makeAsyncIterator()
            while !text.contains("abcd") {
                guard let buffer = try await body.next() else { break }
                text += String(buffer: buffer)
            }
            #expect(text.contains("abcd"))
            #expect(!text.contains("[DONE]"))
            #expect(!gate.isOpen)
            gate.open()
            while let buffer = try await body.next() { text += String(buffer: buffer) }
            #expect(text.hasSuffix("data: [DONE]\n\n"))
        }
    }

    @Test func cutStreamEndsWithoutDone() async throws {
        try await withSimulatorAndClient { simulator, client in
            simulator.enqueue(SimulatedReply.text("Hello world").with(.cutStream(afterEvents: 2)), for: .openAI)
            let (response, error) = try await sendCollectingPartial(
                client, simulator, .openAI, "/chat/completions", body: chatBody(.openAI, stream: true))
            #expect(response.status == 200)
            #expect(error != nil)
            #expect(response.events.count == 2)
            #expect(!response.text.contains("[DONE]"))
            // A cut made by the server is not a client disconnect.
            #expect(simulator.clientDisconnects == 0)
        }
    }

    @Test func cutAnthropicStreamHasNoMessageStop() async throws {
        try await withSimulatorAndClient { simulator, client in
            simulator.enqueue(SimulatedReply.text("Hello world").with(.cutStream(afterEvents: 4)), for: .anthropic)
            let (response, error) = try await sendCollectingPartial(
                client, simulator, .anthropic, "/v1/messages", body: chatBody(.anthropic, stream: true))
            #expect(error != nil)
            #expect(
                response.events.compactMap(\.name) == [
                    "message_start", "content_block_start", "ping", "content_block_delta",
                ])
        }
    }

    @Test func malformedChunkIsNotJSONAndStreamContinues() async throws {
        try await withSimulatorAndClient { simulator, client in
            simulator.enqueue(SimulatedReply.text("Hello").with(.malformedChunk(afterEvents: 1)), for: .openAI)
            let response = try await send(
                client, simulator, .openAI, "/chat/completions", body: chatBody(.openAI, stream: true))
            let events = response.events
            #expect(events.count >= 3)
            #expect(events[0].json != nil)
            #expect(events[1].json == nil)
            #expect(events[1].data != "[DONE]")
            #expect(events.dropFirst(2).dropLast().allSatisfy { $0.json != nil })
            #expect(events.last?.data == "[DONE]")
        }
    }

    @Test func droppedConnectionFailsTheClient() async throws {
        try await withSimulatorAndClient { simulator, client in
            simulator.enqueue(SimulatedReply.text("never").with(.dropConnection), for: .openAI)
            await #expect(throws: (any Error).self) {
                _ = try await send(client, simulator, .openAI, "/chat/completions", body: chatBody(.openAI))
            }
            #expect(simulator.requests.count == 1)
            #expect(simulator.clientDisconnects == 0)
        }
    }

    @Test func openAIInStreamError() async throws {
        try await withSimulatorAndClient { simulator, client in
            simulator.enqueue(
                SimulatedReply.text("Hello world").with(
                    .inStreamError(afterEvents: 2, type: "server_error", message: "The server had an error")),
                for: .openAI
            )
            let response = try await send(
                client, simulator, .openAI, "/chat/completions", body: chatBody(.openAI, stream: true))
            #expect(response.status == 200)
            let events = response.events
            #expect(events.count == 3)
            let error = try #require(events.last?.json?["error"])
            #expect(error["type"] == "server_error")
            #expect(error["message"] == "The server had an error")
            #expect(!response.text.contains("[DONE]"))
        }
    }

    @Test func anthropicInStreamError() async throws {
        try await withSimulatorAndClient { simulator, client in
            simulator.enqueue(
                SimulatedReply.text("Hello world").with(
                    .inStreamError(afterEvents: 3, type: "overloaded_error", message: "Overloaded")),
                for: .anthropic
            )
            let response = try await send(
                client, simulator, .anthropic, "/v1/messages", body: chatBody(.anthropic, stream: true))
            #expect(response.status == 200)
            let events = response.events
            #expect(events.compactMap(\.name) == ["message_start", "content_block_start", "ping", "error"])
            #expect(
                events.last?.json == ["type": "error", "error": ["type": "overloaded_error", "message": "Overloaded"]])
        }
    }

    @Test func inStreamErrorOnPlainRequestBecomesHTTPError() async throws {
        try await withSimulatorAndClient { simulator, client in
            simulator.enqueue(
                SimulatedReply.text("x").with(
                    .inStreamError(afterEvents: 0, type: "overloaded_error", message: "Overloaded")),
                for: .anthropic
            )
            let response = try await send(client, simulator, .anthropic, "/v1/messages", body: chatBody(.anthropic))
            #expect(response.status == 529)
            #expect(try response.json["error"]?["type"] == "overloaded_error")
        }
    }
}
