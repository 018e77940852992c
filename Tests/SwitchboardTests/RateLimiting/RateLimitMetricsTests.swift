import Metrics
import MetricsTestKit
import Switchboard
import SwitchboardTesting
import Testing

/// Queue depth, waiting time, remaining requests and tokens, and rejections as swift-metrics.
@Suite(.timeLimit(.minutes(2))) struct RateLimitMetricsTests {
    @Test func queueWaitRemainingAndRejectionsAreRecorded() async throws {
        let metrics = ObservationTests.metrics
        let key = RateLimitKey(provider: .openAI, model: "metrics-limit-model")
        let harness = LimiterHarness(.openAI(RateLimits(tokensPerMinute: 1000, maxConcurrent: 1), maxQueue: 1))
        let limiter = harness.limiter
        let holder = try await limiter.acquire(RateLimitDemand(tokens: 100), for: key)
        let waiting = Task { try await limiter.acquire(RateLimitDemand(tokens: 100), for: key) }
        await harness.waitForQueue(key, depth: 1)
        await #expect(throws: ProviderError.self) { _ = try await limiter.acquire(RateLimitDemand(), for: key) }

        let dimensions = [
            ("gen_ai.system", "openai"), ("gen_ai.request.model", "metrics-limit-model"), ("credential", "none"),
        ]
        #expect(try metrics.expectGauge("switchboard.rate_limit.queue_depth", dimensions).lastValue == 1)
        #expect(
            try metrics.expectCounter("switchboard.rate_limit.rejected", dimensions + [("reason", "overloaded")])
                .totalValue == 1)

        harness.clock.advance(by: .seconds(3))
        try await limiter.release(holder, usedTokens: 40)
        let permit = try await waiting.value
        #expect(permit.waited == .seconds(3))
        #expect(try metrics.expectTimer("switchboard.rate_limit.wait_duration", dimensions).values == [3_000_000_000])

        try await limiter.learn(
            RateLimitSnapshot(requests: .init(remaining: 42, resetsIn: .seconds(1))), for: key)
        #expect(try metrics.expectGauge("switchboard.rate_limit.remaining_requests", dimensions).lastValue == 42)
        // 3 s of refill (50) and the 60 given back fill the bucket again; the second reserved 100.
        #expect(try metrics.expectGauge("switchboard.rate_limit.remaining_tokens", dimensions).lastValue == 900)
        #expect(try metrics.expectGauge("switchboard.rate_limit.queue_depth", dimensions).lastValue == 0)
    }
}
