import Switchboard
import SwitchboardTesting
import Testing

/// The limiter on its own, in virtual time: buckets, reservations, headers, pauses and the queue.
@Suite(.timeLimit(.minutes(2))) struct RateLimiterTests {
    /// Acquires `count` permits one after another, releasing each, and records the virtual time of each grant.
    private func grantTimes(
        _ harness: LimiterHarness, count: Int, key: RateLimitKey = openAIKey
    ) async throws
        -> [Duration]
    {
        let times = Recorder<Duration>()
        let consumer = Task {
            for _ in 0..<count {
                let permit = try await harness.limiter.acquire(RateLimitDemand(), for: key)
                times.append(harness.limiter.clock.now)
                try await harness.limiter.release(permit)
            }
        }
        while times.count < count {
            await harness.clock.waitForSleepers(1)
            harness.clock.advance(by: .seconds(1))
            await eventually("a grant or a new timer") {
                times.count == count || harness.clock.sleeperDeadlines.count == 1
            }
        }
        try await consumer.value
        return times.all
    }

    @Test func sixtyPerMinuteLetsExactlySixtyThroughEachMinuteAfterTheBurst() async throws {
        let harness = LimiterHarness(.openAI(RateLimits(requestsPerMinute: 60, requestBurst: 10)))
        let times = try await grantTimes(harness, count: 130)
        #expect(times.filter { $0 == .zero }.count == 10)
        #expect(times.filter { $0 > .zero && $0 <= .seconds(60) }.count == 60)
        #expect(times.filter { $0 > .seconds(60) && $0 <= .seconds(120) }.count == 60)
        // Evenly spaced, one per second: never two in the same second after the burst.
        #expect(Array(times.dropFirst(10)) == (1...120).map { Duration.seconds($0) })
    }

    @Test func defaultBurstIsTheWholeMinute() async throws {
        let harness = LimiterHarness(.openAI(RateLimits(requestsPerMinute: 60)))
        let times = try await grantTimes(harness, count: 62)
        #expect(times.filter { $0 == .zero }.count == 60)
        #expect(times.suffix(2) == [.seconds(1), .seconds(2)])
    }

    @Test func tokenReservationIsCorrectedToTheRealUsage() async throws {
        let harness = LimiterHarness(.openAI(RateLimits(tokensPerMinute: 1000)))
        let limiter = harness.limiter
        let first = try await limiter.acquire(RateLimitDemand(tokens: 800), for: openAIKey)
        #expect(try await limiter.statuses().first { $0.key == openAIKey }?.availableTokens == 200)

        let second = Task { try await limiter.acquire(RateLimitDemand(tokens: 500), for: openAIKey) }
        await harness.waitForQueue(openAIKey, depth: 1)
        // The first request really used 100 tokens: 700 come back and the second goes without time passing.
        try await limiter.release(first, usedTokens: 100)
        let permit = try await second.value
        #expect(permit.waited == .zero)
        #expect(try await limiter.statuses().first { $0.key == openAIKey }?.availableTokens == 400)

        // Using more than reserved takes the difference too.
        try await limiter.release(permit, usedTokens: 900)
        #expect(try await limiter.statuses().first { $0.key == openAIKey }?.availableTokens == 0)
    }

    @Test func requestReservesItsInputEstimatePlusItsOutputCap() async throws {
        let estimator = CharacterRatioTokenEstimator()
        let harness = LimiterHarness(.openAI(RateLimits(tokensPerMinute: 10_000)), estimator: estimator)
        let request = ChatRequest(messages: [.user(String(repeating: "word ", count: 100))], maxTokens: 300)
        let permit = try await harness.limiter.acquire(for: request, key: openAIKey)
        #expect(permit.demand.tokens == estimator.inputTokens(for: request, provider: .openAI) + 300)
        #expect(permit.demand.tokens > 300)
    }

    @Test func providerHeadersHoldRequestsUntilTheWindowResets() async throws {
        let harness = LimiterHarness(RateLimitConfiguration())
        let limiter = harness.limiter
        let permit = try await limiter.acquire(RateLimitDemand(), for: openAIKey)
        try await limiter.learn(
            RateLimitSnapshot(requests: .init(limit: 60, remaining: 0, resetsIn: .seconds(20))), for: openAIKey)
        try await limiter.release(permit)

        let next = Task { try await limiter.acquire(RateLimitDemand(), for: openAIKey) }
        await harness.waitForTimer(at: .seconds(20))
        #expect(limiter.queueDepth(for: openAIKey) == 1)
        harness.clock.advance(by: .seconds(19))
        #expect(limiter.queueDepth(for: openAIKey) == 1)
        harness.clock.advance(by: .seconds(1))
        #expect(try await next.value.waited == .seconds(20))
    }

    @Test func remainingTokensFromHeadersBoundTheReservations() async throws {
        let harness = LimiterHarness(RateLimitConfiguration())
        let limiter = harness.limiter
        try await limiter.learn(
            RateLimitSnapshot(tokens: .init(limit: 10_000, remaining: 1_500, resetsIn: .seconds(6))), for: openAIKey)
        _ = try await limiter.acquire(RateLimitDemand(tokens: 1_000), for: openAIKey)
        let next = Task { try await limiter.acquire(RateLimitDemand(tokens: 1_000), for: openAIKey) }
        await harness.waitForTimer(at: .seconds(6))
        harness.clock.advance(by: .seconds(6))
        #expect(try await next.value.waited == .seconds(6))
    }

    @Test func pauseAfterA429HoldsTheKeyAndModelOnly() async throws {
        let harness = LimiterHarness(RateLimitConfiguration())
        let limiter = harness.limiter
        try await limiter.pause(openAIKey, for: .seconds(7))
        // Another model of the same provider is not paused.
        _ = try await limiter.acquire(RateLimitDemand(), for: RateLimitKey(provider: .openAI, model: "gpt-4o-mini"))
        let paused = Task { try await limiter.acquire(RateLimitDemand(), for: openAIKey) }
        await harness.waitForTimer(at: .seconds(7))
        #expect(try await limiter.statuses().first { $0.key == openAIKey }?.pausedFor == .seconds(7))
        harness.clock.advance(by: .seconds(7))
        #expect(try await paused.value.waited == .seconds(7))
    }

    @Test func concurrencyLimitHoldsTheThirdUntilOneEnds() async throws {
        let harness = LimiterHarness(.openAI(RateLimits(maxConcurrent: 2)))
        let limiter = harness.limiter
        let first = try await limiter.acquire(RateLimitDemand(), for: openAIKey)
        _ = try await limiter.acquire(RateLimitDemand(), for: openAIKey)
        let third = Task { try await limiter.acquire(RateLimitDemand(), for: openAIKey) }
        await harness.waitForQueue(openAIKey, depth: 1)
        #expect(try await limiter.statuses().first { $0.key == openAIKey }?.inFlight == 2)
        try await limiter.release(first)
        _ = try await third.value
        #expect(limiter.queueDepth(for: openAIKey) == 0)
        // No timer: a concurrency slot frees only on release.
        #expect(harness.clock.sleeperDeadlines.isEmpty)
    }

    @Test func aRequestLargerThanTheBurstGoesWhenTheBucketIsFullAndLeavesADebt() async throws {
        let harness = LimiterHarness(.openAI(RateLimits(tokensPerMinute: 1000)))
        let limiter = harness.limiter
        _ = try await limiter.acquire(RateLimitDemand(tokens: 5000), for: openAIKey)
        let next = Task { try await limiter.acquire(RateLimitDemand(tokens: 100), for: openAIKey) }
        // 4,000 owed plus 100 wanted at 1,000 per minute: 4.1 minutes.
        await harness.waitForTimer(at: .seconds(246))
        harness.clock.advance(by: .seconds(246))
        #expect(try await next.value.waited == .seconds(246))
    }

    @Test func keysAreNamedByAShortHashNeverByTheKey() throws {
        let key = APIKey("sk-proj-abcdefghijklmnopqrstuvwxyz0123456789")
        let fingerprint: String = try #require(RateLimitKey.credentialFingerprint(key))
        #expect(fingerprint.count == 8)
        #expect(fingerprint.allSatisfy { $0.isHexDigit })
        #expect(RateLimitKey.credentialFingerprint(key) == fingerprint)
        #expect(
            RateLimitKey.credentialFingerprint(APIKey("sk-proj-abcdefghijklmnopqrstuvwxyz0123456788")) != fingerprint)
        #expect(RateLimitKey.credentialFingerprint(nil) == nil)
        let described = RateLimitKey(provider: .openAI, model: "gpt-4o", credential: fingerprint).description
        #expect(described == "openai/gpt-4o#\(fingerprint)")
        #expect(!described.contains("sk-") && !described.contains("xyz"))
    }
}
