import Foundation
import NIOHTTP1
import Testing

@testable import Switchboard

@Suite struct RateLimitHeadersTests {
    @Test(arguments: [
        ("20ms", 20), ("1s", 1000), ("6m0s", 360_000), ("2m59.56s", 179_560), ("1h2m3.5s", 3_723_500), ("7", 7000),
    ])
    func goDurations(text: String, milliseconds: Int64) {
        #expect(RateLimitHeaders.goDuration(text) == .milliseconds(milliseconds))
    }

    @Test(arguments: ["", "abc", "5x", "m"])
    func malformedGoDurations(text: String) {
        #expect(RateLimitHeaders.goDuration(text) == nil)
    }

    @Test func openAIHeaders() {
        let headers = HTTPHeaders([
            ("x-ratelimit-limit-requests", "60"), ("x-ratelimit-remaining-requests", "59"),
            ("x-ratelimit-reset-requests", "1s"), ("x-ratelimit-limit-tokens", "150000"),
            ("x-ratelimit-remaining-tokens", "149984"), ("x-ratelimit-reset-tokens", "6m0s"),
        ])
        let snapshot = RateLimitHeaders.openAI(headers, now: Date())
        #expect(snapshot?.requests == .init(limit: 60, remaining: 59, resetsIn: .seconds(1)))
        #expect(snapshot?.tokens == .init(limit: 150_000, remaining: 149_984, resetsIn: .seconds(360)))
        #expect(RateLimitHeaders.openAI(HTTPHeaders(), now: Date()) == nil)
    }

    @Test func anthropicHeadersMeasureResetsFromNow() throws {
        let now = try Date("2025-02-24T22:25:30Z", strategy: .iso8601)
        let headers = HTTPHeaders([
            ("anthropic-ratelimit-requests-limit", "1000"), ("anthropic-ratelimit-requests-remaining", "999"),
            ("anthropic-ratelimit-requests-reset", "2025-02-24T22:25:30Z"),
            ("anthropic-ratelimit-output-tokens-limit", "16000"),
            ("anthropic-ratelimit-output-tokens-remaining", "12000"),
            ("anthropic-ratelimit-output-tokens-reset", "2025-02-24T22:25:47Z"),
        ])
        let snapshot = RateLimitHeaders.anthropic(headers, now: now)
        #expect(snapshot?.requests == .init(limit: 1000, remaining: 999, resetsIn: .zero))
        #expect(snapshot?.outputTokens == .init(limit: 16000, remaining: 12000, resetsIn: .seconds(17)))
        #expect(snapshot?.tokens == nil)
    }

    @Test func retryAfterPrefersMilliseconds() throws {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(
            RateLimitHeaders.retryAfter(HTTPHeaders([("retry-after-ms", "644"), ("retry-after", "1")]), now: now)
                == .milliseconds(644))
        #expect(RateLimitHeaders.retryAfter(HTTPHeaders([("retry-after", "1.5")]), now: now) == .milliseconds(1500))
        let date = "Tue, 14 Nov 2023 22:13:40 GMT"  // 1_700_000_020
        #expect(RateLimitHeaders.retryAfter(HTTPHeaders([("retry-after", date)]), now: now) == .seconds(20))
        #expect(RateLimitHeaders.retryAfter(HTTPHeaders([("retry-after", "soon")]), now: now) == nil)
    }
}
