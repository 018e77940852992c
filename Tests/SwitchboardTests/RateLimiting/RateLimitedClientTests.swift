import Logging
import Switchboard
import SwitchboardTesting
import Testing

/// Rate limits end to end: `LLMClient` with a limiter on a manual clock, over real HTTP to the simulator.
@Suite(.timeLimit(.minutes(2))) struct RateLimitedClientTests {
    struct Harness {
        let simulator: ProviderSimulator
        let clock: ManualClock
        let limiter: RateLimiter
        let client: LLMClient
        /// The bucket of `gpt-4o` with the test key.
        let key = RateLimitKey(
            provider: .openAI, model: "gpt-4o", credential: RateLimitKey.credentialFingerprint(APIKey(apiKey)))

        var sent: Int { simulator.requests(for: .openAI).count }

        func waitForTimer(at offset: Duration) async {
            await eventually("a timer at \(offset)") {
                clock.sleeperDeadlines.contains(ManualClock.Instant(offset: offset))
            }
        }
    }

    static let apiKey = "sk-limit-test-0123456789"
    static let request = ChatRequest(messages: [.user("hello")], model: "gpt-4o", provider: .openAI)

    static func withHarness(
        _ configuration: RateLimitConfiguration, routing: RoutingConfiguration? = nil,
        retry: RetryPolicy = RetryPolicy(maxRetries: 0),
        _ body: (Harness) async throws -> Void
    ) async throws {
        try await ProviderSimulator.withSimulator { simulator in
            let transport = HTTPTransport()
            do {
                let clock = ManualClock()
                let limiter = RateLimiter(configuration: configuration, clock: PolicyClock(clock))
                let provider = OpenAIProvider(
                    configuration: try OpenAIConfiguration(
                        apiKey: APIKey(apiKey), baseURL: simulator.baseURL(for: .openAI)),
                    transport: transport)
                let client = LLMClient(
                    providers: [provider], logger: Logger(label: "test"), routing: routing,
                    resilience: ResiliencePolicy(retry: retry, clock: PolicyClock(clock)),
                    rateLimiter: limiter)
                try await body(Harness(simulator: simulator, clock: clock, limiter: limiter, client: client))
            } catch {
                try? await transport.shutdown()
                throw error
            }
            try await transport.shutdown()
        }
    }

    @Test func requestsPerMinuteHoldTheThirdUntilTheBucketRefills() async throws {
        try await Self.withHarness(.openAI(RateLimits(requestsPerMinute: 2))) { harness in
            _ = try await harness.client.chat(Self.request)
            _ = try await harness.client.chat(Self.request)
            let third = Task { try await harness.client.chat(Self.request) }
            await harness.waitForTimer(at: .seconds(30))
            #expect(harness.sent == 2)
            #expect(try await harness.client.rateLimits().first { $0.key == harness.key }?.waiting == 1)
            harness.clock.advance(by: .seconds(30))
            #expect(try await third.value.text.isEmpty == false)
            #expect(harness.sent == 3)
        }
    }

    @Test func exhaustedHeadersSlowDownBeforeAny429() async throws {
        try await Self.withHarness(RateLimitConfiguration()) { harness in
            harness.simulator.enqueue(
                SimulatedReply.text("last one for now").withHeaders([
                    ("x-ratelimit-limit-requests", "60"), ("x-ratelimit-remaining-requests", "0"),
                    ("x-ratelimit-reset-requests", "20s"),
                ]), for: .openAI)
            _ = try await harness.client.chat(Self.request)
            let status = try #require(try await harness.client.rateLimits().first { $0.key == harness.key })
            #expect(status.learnedRequests?.limit == 60)
            #expect(status.remainingRequests == 0)

            let next = Task { try await harness.client.chat(Self.request) }
            await harness.waitForTimer(at: .seconds(20))
            #expect(harness.sent == 1)
            harness.clock.advance(by: .seconds(20))
            _ = try await next.value
            #expect(harness.sent == 2)
            #expect(harness.simulator.requests(for: .openAI).allSatisfy { $0.path.hasSuffix("/chat/completions") })
        }
    }

    @Test func a429PausesTheKeyAndModelUntilRetryAfter() async throws {
        try await Self.withHarness(RateLimitConfiguration()) { harness in
            harness.simulator.enqueue(.failure(status: 429, retryAfter: .seconds(3)), for: .openAI)
            let error = await #expect(throws: ProviderError.self) { try await harness.client.chat(Self.request) }
            #expect(error?.kind == .rateLimited)
            let next = Task { try await harness.client.chat(Self.request) }
            await harness.waitForTimer(at: .seconds(3))
            #expect(harness.sent == 1)
            harness.clock.advance(by: .seconds(3))
            _ = try await next.value
            #expect(harness.sent == 2)
        }
    }

    @Test func aRoutedRetryWaitsForTheLimitToo() async throws {
        try await Self.withHarness(
            .openAI(RateLimits(requestsPerMinute: 1)), routing: RoutingConfiguration(),
            retry: RetryPolicy(maxRetries: 1, jitter: 0)
        ) { harness in
            harness.simulator.enqueue(.failure(status: 503), for: .openAI)
            let routed = Task { try await harness.client.chat(Self.request) }
            // The retry's backoff, then the limiter: the failed attempt used the minute's only request.
            await harness.waitForTimer(at: .milliseconds(500))
            harness.clock.advance(by: .milliseconds(500))
            await harness.waitForTimer(at: .seconds(60))
            #expect(harness.sent == 1)
            harness.clock.advance(by: .milliseconds(59_500))
            let response = try await routed.value
            #expect(response.attempts.map(\.outcome) == ["overloaded", "success"])
            #expect(harness.sent == 2)
        }
    }

    @Test func aStreamHoldsItsSlotUntilItEndsAndCorrectsItsTokens() async throws {
        try await Self.withHarness(.openAI(RateLimits(tokensPerMinute: 100_000, maxConcurrent: 1))) { harness in
            harness.simulator.enqueue(
                .text("streamed", usage: SimulatedUsage(inputTokens: 40, outputTokens: 60)), for: .openAI)
            let stream = try await harness.client.stream(Self.request)
            let second = Task { try await harness.client.chat(Self.request) }
            await eventually("the second request queued") { harness.limiter.queueDepth(for: harness.key) == 1 }
            #expect(harness.sent == 1)
            var usage: Usage?
            for try await event in stream { if case .usage(let reported) = event { usage = reported } }
            #expect(usage?.totalTokens == 100)
            let answer = try await second.value
            #expect(harness.sent == 2)
            // Both reservations (each over 4,000 tokens) were corrected to what was used: 100 for the stream.
            let status = try #require(try await harness.limiter.statuses().first { $0.key == harness.key })
            #expect(status.inFlight == 0)
            #expect(status.availableTokens == 100_000 - 100 - (answer.usage?.totalTokens ?? 0))
        }
    }

    @Test func cancellingARequestInFlightFreesItsSlot() async throws {
        try await Self.withHarness(.openAI(RateLimits(maxConcurrent: 1))) { harness in
            harness.simulator.enqueue(SimulatedReply.text("slow").with(.latency(.seconds(60))), for: .openAI)
            let slow = Task { try await harness.client.chat(Self.request) }
            await eventually("the slow request sent") { harness.sent == 1 }
            slow.cancel()
            await #expect(throws: (any Error).self) { try await slow.value }
            await eventually("the slot released") {
                (try? await harness.limiter.statuses().first { $0.key == harness.key }?.inFlight) == 0
            }
            _ = try await harness.client.chat(Self.request)
            #expect(harness.sent == 2)
        }
    }

    @Test func abandonedStreamReleasesItsSlot() async throws {
        try await Self.withHarness(.openAI(RateLimits(maxConcurrent: 1))) { harness in
            do {
                let stream = try await harness.client.stream(Self.request)
                var iterator = stream.makeAsyncIterator()
                _ = try await iterator.next()
            }
            await eventually("the slot released") {
                (try? await harness.limiter.statuses().first { $0.key == harness.key }?.inFlight) == 0
            }
            _ = try await harness.client.chat(Self.request)
        }
    }

    @Test func configurationWithRateLimitsLimitsEveryProviderByKey() async throws {
        try await ProviderSimulator.withSimulator { simulator in
            var configuration = SwitchboardConfiguration(providers: [
                ProviderConfiguration(
                    id: .openAI, kind: .openAI, apiKey: APIKey(Self.apiKey), baseURL: simulator.baseURL(for: .openAI))
            ])
            configuration.rateLimits = RateLimitConfiguration(providers: [
                .openAI: .init(
                    limits: RateLimits(requestsPerMinute: 100), models: ["gpt-4o": RateLimits(requestsPerMinute: 1)])
            ])
            try await withLLMClient(configuration: configuration) { client in
                #expect(client.rateLimiter != nil)
                #expect(client.providers.first is OpenAIProvider)
                let before = try await client.rateLimits()
                #expect(before.map(\.key.description) == ["openai/default", "openai/gpt-4o"])
                _ = try await client.chat(Self.request)
                let bucket = try #require(try await client.rateLimits().first { $0.key.credential != nil })
                #expect(bucket.key.model == "gpt-4o")
                // One per minute on the real clock: the bucket stays empty however slow the machine is.
                #expect(bucket.availableRequests == 0)
                #expect(!bucket.key.description.contains(Self.apiKey.suffix(8)))
            }
        }
    }
}
