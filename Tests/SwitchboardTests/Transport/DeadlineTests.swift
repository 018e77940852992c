import Logging
import Switchboard
import SwitchboardTesting
import Testing

/// The transport's three deadlines: idle between reads of a stream, the whole request, and none
/// that cuts a long but healthy non-streamed generation.
@Suite struct DeadlineTests {
    func withProvider(
        _ configuration: TransportConfiguration,
        _ body: (any LanguageModelProvider, ProviderSimulator) async throws -> Void
    ) async throws {
        try await ProviderSimulator.withSimulator { simulator in
            let transport = HTTPTransport(configuration: configuration)
            let provider = OpenAIProvider(
                configuration: try OpenAIConfiguration(
                    apiKey: APIKey("sk-deadline"), baseURL: simulator.baseURL(for: .openAI)),
                transport: transport)
            do {
                try await body(provider, simulator)
            } catch {
                try? await transport.shutdown()
                throw error
            }
            try await transport.shutdown()
        }
    }

    static let logger = Logger(label: "test")
    static let request = ChatRequest(messages: [.user("hi")])

    @Test func longNonStreamedGenerationOutlivesTheIdleTimeout() async throws {
        let configuration = TransportConfiguration(requestTimeout: .seconds(20), idleTimeout: .milliseconds(100))
        try await withProvider(configuration) { provider, simulator in
            simulator.enqueue(SimulatedReply.text("slow but whole").with(.latency(.milliseconds(600))), for: .openAI)
            let response = try await provider.complete(Self.request, logger: Self.logger)
            #expect(response.text == "slow but whole")
        }
    }

    @Test func stalledStreamHitsTheIdleTimeout() async throws {
        let configuration = TransportConfiguration(requestTimeout: .seconds(20), idleTimeout: .milliseconds(500))
        try await withProvider(configuration) { provider, simulator in
            simulator.enqueue(SimulatedReply.text("a b c d e f").with(.eventInterval(.seconds(3))), for: .openAI)
            let error = await #expect(throws: ProviderError.self) {
                for try await _ in try await provider.stream(Self.request, logger: Self.logger) {}
            }
            #expect(error?.kind == .timeout)
        }
    }

    @Test func wholeRequestDeadline() async throws {
        let configuration = TransportConfiguration(requestTimeout: .milliseconds(150), idleTimeout: .seconds(10))
        try await withProvider(configuration) { provider, simulator in
            simulator.enqueue(SimulatedReply.text("too late").with(.latency(.milliseconds(1500))), for: .openAI)
            let error = await #expect(throws: ProviderError.self) {
                _ = try await provider.complete(Self.request, logger: Self.logger)
            }
            #expect(error?.kind == .timeout)
        }
    }

    @Test func wholeRequestDeadlineCoversABodyThatArrivesLate() async throws {
        let configuration = TransportConfiguration(requestTimeout: .milliseconds(150), idleTimeout: .seconds(10))
        try await withProvider(configuration) { provider, simulator in
            simulator.enqueue(
                SimulatedReply.text("head now, body late").with(.slowFirstByte(.seconds(3))), for: .openAI)
            let started = ContinuousClock.now
            let error = await #expect(throws: ProviderError.self) {
                _ = try await provider.complete(Self.request, logger: Self.logger)
            }
            #expect(error?.kind == .timeout)
            #expect(error?.message.contains("no complete response within") == true)
            #expect(ContinuousClock.now - started < .seconds(2))
        }
    }

    @Test func aBodyOverTheSizeLimitIsRefusedAsInvalid() async throws {
        let configuration = TransportConfiguration(maximumResponseSize: 64)
        try await withProvider(configuration) { provider, simulator in
            simulator.enqueue(SimulatedReply.text(String(repeating: "long ", count: 100)), for: .openAI)
            let error = await #expect(throws: ProviderError.self) {
                _ = try await provider.complete(Self.request, logger: Self.logger)
            }
            #expect(error?.kind == .invalidResponse)
            #expect(error?.message == "the response body is too large")
        }
    }

    @Test func cancellingTheCallerCancelsTheRequest() async throws {
        try await withProvider(TransportConfiguration()) { provider, simulator in
            simulator.enqueue(SimulatedReply.text("never read").with(.latency(.seconds(30))), for: .openAI)
            let call = Task { try await provider.complete(Self.request, logger: Self.logger) }
            while simulator.requests(for: .openAI).isEmpty { await Task.yield() }
            call.cancel()
            let error = await #expect(throws: ProviderError.self) { _ = try await call.value }
            #expect(error?.kind == .cancelled)
        }
    }

    @Test func flowingStreamPastTheRequestDeadlineTimesOut() async throws {
        let configuration = TransportConfiguration(requestTimeout: .seconds(3), idleTimeout: .seconds(10))
        try await withProvider(configuration) { provider, simulator in
            var reply = SimulatedReply.text(String(repeating: "word ", count: 100))
            reply.chunkSize = 5
            simulator.enqueue(reply.with(.eventInterval(.milliseconds(50))), for: .openAI)
            var deltas = 0
            let error = await #expect(throws: ProviderError.self) {
                for try await event in try await provider.stream(Self.request, logger: Self.logger) {
                    if case .textDelta = event { deltas += 1 }
                }
            }
            #expect(error?.kind == .timeout)
            // Without the per-event deadline check the stream would run to its end (100 deltas, ~5 s).
            #expect(deltas < 100)
        }
    }
}
