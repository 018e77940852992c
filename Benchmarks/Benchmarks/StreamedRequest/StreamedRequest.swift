// End-to-end cost of one streamed chat request through `LLMClient` against the in-process
// `ProviderSimulator`, for the OpenAI and the Anthropic adapter.
//
// Each benchmark's setup hook starts a simulator on 127.0.0.1, sets a default reply of 200 words
// streamed 8 characters per delta (~150 text deltas, so ~150 SSE events plus the framing events),
// builds one `LLMClient` for that provider and sends one warm-up request (which also opens the
// pooled connection). Its teardown hook shuts the client down, then the simulator. Neither is
// measured.
//
// One iteration = one complete streamed request: `client.stream(_:)` and iterating every
// `ChatEvent` to the end. Over loopback this measures the client pipeline, HTTP/1.1 transport, SSE
// decoding and event mapping — and also the simulator, which renders and writes the stream in the
// same process. The malloc interposer counts every thread of the process, so `Malloc (total)` is
// client plus simulator allocations per request. The client's logger is set to `warning`, so the
// one `info` line it logs per request is not printed.

import Benchmark
import Logging
import NIOConcurrencyHelpers
import Switchboard
import SwitchboardTesting

/// The reply text: 200 words (~1,200 characters).
private let replyText: String = {
    let words = [
        "streaming", "tokens", "arrive", "as", "server-sent", "events", "over", "one", "HTTP", "response",
        "and", "the", "client", "maps", "each", "delta", "to", "a", "chat", "event",
    ]
    return (0..<200).map { words[($0 * 7) % words.count] }.joined(separator: " ")
}()

/// Characters per streamed text delta.
private let chunkSize = 8

/// A started simulator and a client pointed at it, kept between a benchmark's setup and teardown.
private final class StreamingFixture: Sendable {
    private let state = NIOLockedValueBox<(simulator: ProviderSimulator, client: LLMClient)?>(nil)

    /// The client; only valid between `start(_:)` and `stop()`.
    var client: LLMClient {
        guard let client = state.withLockedValue({ $0?.client }) else {
            fatalError("StreamedRequest: benchmark ran without its setup hook")
        }
        return client
    }

    /// Starts a simulator and a client for `provider` and sends one unmeasured warm-up request.
    func start(_ provider: SimulatedProvider) async throws {
        let simulator = try await ProviderSimulator.start()
        let reply = SimulatedReply(text: replyText, chunkSize: chunkSize)
        simulator.setDefaultReply(reply, for: provider)

        let providerConfiguration: ProviderConfiguration
        switch provider {
        case .openAI:
            providerConfiguration = ProviderConfiguration(
                id: .openAI, kind: .openAI, apiKey: APIKey("sk-bench-openai"),
                baseURL: simulator.baseURL(for: .openAI))
        case .anthropic:
            providerConfiguration = ProviderConfiguration(
                id: .anthropic, kind: .anthropic, apiKey: APIKey("sk-ant-bench"),
                baseURL: simulator.baseURL(for: .anthropic))
        case .gemini, .ollama:
            fatalError("StreamedRequest: no client adapter benchmarked for \(provider)")
        }
        // The client logs one `info` line per request; printing it would dominate the measurement.
        var logger = Logger(label: "switchboard.benchmark")
        logger.logLevel = .warning
        let client: LLMClient
        do {
            client = try LLMClient(
                configuration: SwitchboardConfiguration(providers: [providerConfiguration]), logger: logger)
        } catch {
            try? await simulator.shutdown()
            throw error
        }
        state.withLockedValue { $0 = (simulator, client) }

        // Warm-up request, also reporting what one iteration does.
        var events = 0
        var text = 0
        for try await event in try await client.stream(streamedRequest) {
            events += 1
            if case .textDelta(let delta) = event { text += delta.count }
        }
        print(
            """
            StreamedRequest (\(provider.rawValue)): one iteration = one streamed request of \(events) ChatEvents \
            (\(text) characters of text in deltas of \(chunkSize)); wall clock and mallocs are per request.
            """
        )
    }

    /// Shuts the client down, then the simulator.
    func stop() async throws {
        let current = state.withLockedValue { state in
            let current = state
            state = nil
            return current
        }
        guard let (simulator, client) = current else { return }
        do {
            try await client.shutdown()
        } catch {
            try? await simulator.shutdown()
            throw error
        }
        try await simulator.shutdown()
    }
}

private let streamedRequest = ChatRequest(messages: [.user("bench")])

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration.maxDuration = .seconds(5)
    Benchmark.defaultConfiguration.maxIterations = 10_000

    for provider in [SimulatedProvider.openAI, .anthropic] {
        let fixture = StreamingFixture()
        Benchmark(
            "Streamed request, \(provider.rawValue), 200 words in \(chunkSize)-char deltas",
            configuration: .init(
                metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
                units: [.mallocCountTotal: .count],
                warmupIterations: 10,
                setup: { try await fixture.start(provider) },
                teardown: { try await fixture.stop() }
            )
        ) { _ in
            var events = 0
            for try await _ in try await fixture.client.stream(streamedRequest) { events += 1 }
            blackHole(events)
        }
    }
}
