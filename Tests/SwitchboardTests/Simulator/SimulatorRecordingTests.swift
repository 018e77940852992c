import AsyncHTTPClient
import Foundation
import NIOCore
import Switchboard
import SwitchboardTesting
import Testing

@Suite("Simulator: recording and disconnects")
struct SimulatorRecordingTests {
    @Test func recordsEveryRequestInOrder() async throws {
        try await withSimulatorAndClient { simulator, client in
            #expect(simulator.baseURL(for: .openAI) == "http://127.0.0.1:\(simulator.port)/openai/v1")
            #expect(simulator.baseURL(for: .anthropic) == "http://127.0.0.1:\(simulator.port)/anthropic")
            _ = try await send(
                client, simulator, .openAI, "/chat/completions", body: chatBody(.openAI),
                headers: authHeaders(.openAI) + [("X-Custom-Header", "abc")])
            _ = try await send(client, simulator, .anthropic, "/v1/models?limit=5", method: .GET)
            _ = try await send(client, simulator, .openAI, "/models", method: .GET, headers: [])

            let all = simulator.requests
            #expect(all.count == 3)
            #expect(all.map(\.provider) == [.openAI, .anthropic, .openAI])
            #expect(all.map(\.method) == ["POST", "GET", "GET"])
            #expect(
                all.map(\.path) == ["/openai/v1/chat/completions", "/anthropic/v1/models?limit=5", "/openai/v1/models"])
            let first = all[0]
            #expect(first.header("x-custom-header") == "abc")
            #expect(first.header("AUTHORIZATION") == "Bearer sk-test-key-123456")
            #expect(first.json?["model"] == "gpt-4o")
            #expect(all[1].header("anthropic-version") == "2023-06-01")
            #expect(all[1].body.isEmpty)
            #expect(all[1].json == nil)
            #expect(simulator.requests(for: .anthropic).count == 1)
            #expect(simulator.requests(for: .openAI).count == 2)
        }
    }

    @Test func completedResponsesAreNotDisconnects() async throws {
        try await withSimulatorAndClient { simulator, client in
            for provider in SimulatedProvider.allCases {
                _ = try await send(
                    client, simulator, provider, chatPath(provider, stream: true),
                    body: chatBody(provider, stream: true))
                _ = try await send(client, simulator, provider, chatPath(provider), body: chatBody(provider))
            }
            #expect(simulator.clientDisconnects == 0)
        }
    }

    @Test(arguments: SimulatedProvider.allCases)
    func cancelledStreamCountsAsClientDisconnect(provider: SimulatedProvider) async throws {
        try await withSimulatorAndClient { simulator, client in
            let reply = SimulatedReply(text: String(repeating: "slow ", count: 40), chunkSize: 2)
                .with(.eventInterval(.milliseconds(20)))
            simulator.enqueue(reply, for: provider)
            let request = makeRequest(
                simulator, provider, chatPath(provider, stream: true), body: chatBody(provider, stream: true))
            let (firstEvent, firstEventSeen) = AsyncStream.makeStream(of: Void.self)
            let reader = Task {
                let response = try await client.execute(request, timeout: .seconds(10))
                for try await _ in response.body { firstEventSeen.yield() }
            }
            try await withTimeout {
                for await _ in firstEvent { break }
            }
            #expect(simulator.clientDisconnects == 0)
            reader.cancel()
            try await withTimeout {
                await simulator.waitForClientDisconnects(1)
            }
            #expect(simulator.clientDisconnects == 1)
            _ = await reader.result
            firstEventSeen.finish()
        }
    }

    @Test func shutdownEndsOpenStreamsAndIdleConnections() async throws {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(10))
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        do {
            let simulator = try await ProviderSimulator.start()
            // An idle keep-alive connection…
            _ = try await send(client, simulator, .openAI, "/models", method: .GET)
            // …and a stream that would take seconds to finish.
            let reply = SimulatedReply(text: String(repeating: "x", count: 200), chunkSize: 1)
                .with(.eventInterval(.milliseconds(50)))
            simulator.enqueue(reply, for: .openAI)
            let response = try await client.execute(
                makeRequest(simulator, .openAI, "/chat/completions", body: chatBody(.openAI, stream: true)),
                timeout: .seconds(10))
            var iterator = response.body.makeAsyncIterator()
            _ = try await iterator.next()
            try await withTimeout(seconds: 5) { try await simulator.shutdown() }
            await #expect(throws: (any Error).self) {
                while try await iterator.next() != nil {}
            }
            #expect(simulator.clientDisconnects == 0)
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    @Test func waitReturnsWhenSimulatorShutsDown() async throws {
        let simulator = try await ProviderSimulator.start()
        let waiter = Task { await simulator.waitForClientDisconnects(3) }
        try await simulator.shutdown()
        try await withTimeout { await waiter.value }
        #expect(simulator.clientDisconnects == 0)
        try await simulator.shutdown()
    }

    @Test func waitHonoursCancellation() async throws {
        try await ProviderSimulator.withSimulator { simulator in
            let waiter = Task { await simulator.waitForClientDisconnects(5) }
            waiter.cancel()
            try await withTimeout { await waiter.value }
        }
    }
}
