import Logging
import Switchboard
import SwitchboardTesting
import Testing

/// Stopping the simulator cuts the network (connections refused); restarting it listens on the same
/// port with its scripts and log; only responses delivered whole count as completed.
@Suite(.timeLimit(.minutes(2))) struct SimulatorRestartTests {
    @Test func stopRefusesConnectionsAndRestartServesOnTheSamePort() async throws {
        try await withSimulatedClient { client, simulator in
            simulator.enqueue(.text("before"), for: .openAI)
            #expect(try await client.generateText("one", options: .init(provider: .openAI)) == "before")
            simulator.enqueue(.text("after"), for: .openAI)
            await simulator.stop()
            #expect(!simulator.isListening)
            let error = await #expect(throws: ProviderError.self) {
                try await client.generateText("two", options: .init(provider: .openAI))
            }
            #expect(error?.kind == .network)
            let port = simulator.port
            try await simulator.restart()
            #expect(simulator.isListening)
            #expect(simulator.port == port)
            #expect(try await client.generateText("three", options: .init(provider: .openAI)) == "after")
            #expect(simulator.requests(for: .openAI).count == 2)
            #expect(simulator.completedRequests(for: .openAI).count == 2)
        }
    }

    @Test func aHeldResponseTheClientAbandonsIsNotCompleted() async throws {
        try await withSimulatedClient { client, simulator in
            let gate = SimulatorGate()
            simulator.enqueue(SimulatedReply.text("held").with(.holdAfterEvents(0, gate)), for: .openAI)
            let request = Task { try await client.generateText("wait", options: .init(provider: .openAI)) }
            await gate.waitUntilHolding(1)
            #expect(gate.heldCount == 1)
            request.cancel()
            await simulator.waitForClientDisconnects(1)
            #expect(simulator.requests(for: .openAI).count == 1)
            #expect(simulator.completedRequests(for: .openAI).isEmpty)
            _ = try? await request.value
        }
    }
}
