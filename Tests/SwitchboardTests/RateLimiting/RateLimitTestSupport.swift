import Switchboard
import SwitchboardTesting
import Synchronization
import Testing

/// A limiter on a manual clock, and ways to wait for what its background work does — without sleeping.
struct LimiterHarness {
    let clock = ManualClock()
    let limiter: RateLimiter

    init(_ configuration: RateLimitConfiguration, estimator: any TokenEstimator = CharacterRatioTokenEstimator()) {
        limiter = RateLimiter(configuration: configuration, clock: PolicyClock(clock), estimator: estimator)
    }

    /// Returns once `depth` requests wait for `key`.
    func waitForQueue(_ key: RateLimitKey, depth: Int) async {
        await eventually("\(depth) waiting for \(key)") { limiter.queueDepth(for: key) == depth }
    }

    /// Returns once a task sleeps on the clock until `offset` (the limiter's timer).
    func waitForTimer(at offset: Duration) async {
        await eventually("a timer at \(offset)") {
            clock.sleeperDeadlines.contains(ManualClock.Instant(offset: offset))
        }
    }
}

extension RateLimitConfiguration {
    /// A configuration limiting OpenAI's models with `limits` and queueing up to `maxQueue`.
    static func openAI(_ limits: RateLimits, maxQueue: Int = 100) -> RateLimitConfiguration {
        RateLimitConfiguration(providers: [.openAI: .init(limits: limits)], maxQueue: maxQueue)
    }
}

/// Labels in the order things happened.
final class Recorder<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])

    func append(_ value: Value) { values.withLock { $0.append(value) } }
    var all: [Value] { values.withLock { $0 } }
    var count: Int { values.withLock { $0.count } }
}

let openAIKey = RateLimitKey(provider: .openAI, model: "gpt-4o")
