import AsyncHTTPClient
import Foundation
import NIOCore
import Switchboard
import SwitchboardTesting
import Testing

@Suite("Simulator: gates")
struct SimulatorGateTests {
    @Test func holdAfterEventsPausesAnOpenAIStream() async throws {
        try await withSimulatorAndClient { simulator, client in
            let gate = SimulatorGate()
            simulator.enqueue(
                SimulatedReply(text: "abcdef", chunkSize: 2).with(.holdAfterEvents(2, gate)), for: .openAI)
            let response = try await client.execute(
                makeRequest(simulator, .openAI, "/chat/completions", body: chatBody(.openAI, stream: true)),
                timeout: .seconds(10))
            var body = IncrementalBody(response)
            _ = try await body.read { TestSSEEvent.parse($0.text).count >= 2 }
            #expect(!body.ended)
            #expect(TestSSEEvent.parse(body.text).count == 2)
            #expect(!body.text.contains("[DONE]"))
            #expect(!gate.isOpen)
            gate.open()
            try await body.readToEnd()
            #expect(body.text.hasSuffix("data: [DONE]\n\n"))
            #expect(gate.isOpen)
        }
    }

    @Test func holdBeforeAWholeBodyAndShutdownReleasesHeldStreams() async throws {
        try await withSimulatorAndClient { simulator, client in
            let gate = SimulatorGate()
            simulator.enqueue(SimulatedReply.text("plain").with(.holdAfterEvents(0, gate)), for: .anthropic)
            let pending = Task {
                try await send(client, simulator, .anthropic, "/v1/messages", body: chatBody(.anthropic))
            }
            gate.open()
            let response = try await withTimeout { try await pending.value }
            #expect(response.status == 200)
        }
        // A stream still held when the simulator shuts down ends rather than hanging.
        try await withSimulatorAndClient { simulator, client in
            simulator.enqueue(SimulatedReply(text: "abc").with(.holdAfterEvents(1, SimulatorGate())), for: .gemini)
            let response = try await client.execute(
                makeRequest(simulator, .gemini, chatPath(.gemini, stream: true), body: chatBody(.gemini)),
                timeout: .seconds(10))
            var body = IncrementalBody(response)
            _ = try await body.read { !$0.received.isEmpty }
            try await withTimeout { try await simulator.shutdown() }
            await #expect(throws: (any Error).self) { try await body.readToEnd() }
        }
    }
}
