// The rate limiter's overhead on a request that does not have to wait: `RateLimiter.acquire` then
// `RateLimiter.release`, on the in-memory store and the real clock, with nothing else in flight.
//
// Three cases:
// - "configured": requests per minute, tokens per minute and a concurrency limit are all set, so every
//   acquire refills and checks two token buckets and the slot count, and every release corrects the
//   token reservation and records the remaining-requests/tokens gauges (the limits are 100 million
//   per minute, and each release reports 0 tokens used — the correction costs the same whatever the
//   number — so the token bucket never runs dry and no iteration ever waits; with 80 used per request
//   a 5-second run did drain it, and the 1% of measurements that waited for the refill showed as a
//   48 µs p99);
// - "no limits": a provider without configured limits (what `RateLimitedProvider` costs a provider
//   that only learns from headers);
// - "with estimate": as "configured", plus the token estimate of a 60-character request
//   (`acquire(for: ChatRequest, key:)`), as `RateLimitedProvider` does.
//
// One scaled iteration = one acquire + release pair (scaling factor `.kilo`: each measurement runs
// 1,000 pairs), so `Time (wall clock)` reads directly as the overhead per uncontended request.
// Metrics go to swift-metrics' default no-op backend.

import Benchmark
import Switchboard

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration.maxDuration = .seconds(5)
    Benchmark.defaultConfiguration.maxIterations = 10_000

    let huge = 100_000_000
    let configured = RateLimiter(
        configuration: RateLimitConfiguration(providers: [
            .openAI: .init(limits: RateLimits(requestsPerMinute: huge, tokensPerMinute: huge, maxConcurrent: 1_000))
        ]))
    let unlimited = RateLimiter()
    let key = RateLimitKey(provider: .openAI, model: "gpt-4o", credential: "0a1b2c3d")
    let request = ChatRequest(
        messages: [.user("What is the capital of France? Answer in one short sentence.")], model: "gpt-4o",
        maxTokens: 64)
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .throughput, .mallocCountTotal], warmupIterations: 10, scalingFactor: .kilo)

    Benchmark("RateLimiter acquire+release, uncontended, configured", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            let permit = try await configured.acquire(RateLimitDemand(tokens: 100), for: key)
            try await configured.release(permit, usedTokens: 0)
        }
    }

    Benchmark("RateLimiter acquire+release, uncontended, no limits", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            let permit = try await unlimited.acquire(RateLimitDemand(tokens: 100), for: key)
            try await unlimited.release(permit, usedTokens: 0)
        }
    }

    Benchmark("RateLimiter acquire+release, uncontended, with estimate", configuration: configuration) { benchmark in
        for _ in benchmark.scaledIterations {
            let permit = try await configured.acquire(for: request, key: key)
            try await configured.release(permit, usedTokens: 0)
        }
    }
}
