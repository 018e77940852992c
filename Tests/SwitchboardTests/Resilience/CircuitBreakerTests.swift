import Switchboard
import SwitchboardTesting
import Testing

@Suite struct CircuitBreakerTests {
    let clock = ManualClock()
    let key = BreakerKey(provider: .openAI, model: nil)

    func registry(_ policy: CircuitBreakerPolicy = .init()) -> CircuitBreakerRegistry {
        CircuitBreakerRegistry(policy: policy, clock: PolicyClock(clock))
    }

    /// Permits and records `count` outcomes of the same kind.
    func run(_ breakers: CircuitBreakerRegistry, _ key: BreakerKey, failures count: Int) {
        for _ in 0..<count {
            #expect(breakers.permit(key))
            breakers.record(key, success: false)
        }
    }

    func run(_ breakers: CircuitBreakerRegistry, _ key: BreakerKey, successes count: Int) {
        for _ in 0..<count {
            #expect(breakers.permit(key))
            breakers.record(key, success: true)
        }
    }

    /// Opens the breaker for `key` with consecutive failures.
    func trip(_ breakers: CircuitBreakerRegistry, _ key: BreakerKey) {
        run(breakers, key, failures: breakers.policy.consecutiveFailures)
        #expect(breakers.state(of: key) == .open)
    }

    @Test func defaults() {
        let policy = CircuitBreakerPolicy()
        #expect(policy.consecutiveFailures == 5)
        #expect(policy.failureRate == 0.5)
        #expect(policy.window == 20)
        #expect(policy.minimumRequests == 10)
        #expect(policy.cooldown == .seconds(30))
        #expect(policy.halfOpenProbes == 1)
    }

    @Test func keyDescription() {
        #expect(BreakerKey(provider: .openAI, model: nil).description == "openai")
        #expect(
            BreakerKey(provider: .anthropic, model: "claude-sonnet-4-5").description == "anthropic/claude-sonnet-4-5")
    }

    @Test func unknownKeyIsClosedAndEmpty() {
        let breakers = registry()
        #expect(breakers.state(of: key) == .closed)
        #expect(
            breakers.status(of: key)
                == BreakerStatus(
                    state: .closed, consecutiveFailures: 0, recentFailureRate: 0, openedAt: nil, reopensProbingAt: nil))
        #expect(breakers.snapshot().isEmpty)
    }

    @Test func opensAfterConsecutiveFailures() {
        let breakers = registry()
        run(breakers, key, failures: 4)
        #expect(breakers.state(of: key) == .closed)
        #expect(breakers.status(of: key).consecutiveFailures == 4)
        clock.advance(by: .seconds(7))
        #expect(breakers.permit(key))
        breakers.record(key, success: false)
        let status = breakers.status(of: key)
        #expect(status.state == .open)
        #expect(status.consecutiveFailures == 5)
        #expect(status.recentFailureRate == 1)
        #expect(status.openedAt == .seconds(7))
        #expect(status.reopensProbingAt == .seconds(37))
        #expect(!breakers.permit(key))
    }

    @Test func successBreaksTheRun() {
        let breakers = registry()
        run(breakers, key, failures: 4)
        run(breakers, key, successes: 1)
        run(breakers, key, failures: 4)
        #expect(breakers.state(of: key) == .closed)
        #expect(breakers.status(of: key).consecutiveFailures == 4)
    }

    @Test func opensOnFailureRateOnceMinimumRequestsAreIn() {
        let breakers = registry()
        // Alternate: never more than one failure in a row, failure rate 50 %.
        for _ in 0..<4 {
            run(breakers, key, failures: 1)
            run(breakers, key, successes: 1)
        }
        run(breakers, key, failures: 1)
        // 9 outcomes, 5 failed (56 %) — under the minimum of 10, stays closed.
        #expect(breakers.state(of: key) == .closed)
        #expect(abs(breakers.status(of: key).recentFailureRate - 5.0 / 9.0) < 1e-9)
        run(breakers, key, successes: 1)
        // 10 outcomes, 5 failed: exactly the 50 % threshold.
        #expect(breakers.state(of: key) == .open)
        #expect(breakers.status(of: key).consecutiveFailures == 0)
    }

    @Test func failureRateLooksOnlyAtTheWindow() {
        let breakers = registry(CircuitBreakerPolicy(consecutiveFailures: 100, window: 10, minimumRequests: 10))
        run(breakers, key, failures: 4)
        run(breakers, key, successes: 6)
        #expect(breakers.status(of: key).recentFailureRate == 0.4)
        run(breakers, key, successes: 4)  // the four failures slide out
        #expect(breakers.status(of: key).recentFailureRate == 0)
        run(breakers, key, failures: 4)
        #expect(breakers.status(of: key).recentFailureRate == 0.4)
        #expect(breakers.state(of: key) == .closed)
        run(breakers, key, failures: 1)
        #expect(breakers.state(of: key) == .open)  // 5 of the last 10
    }

    @Test func belowTheRateStaysClosed() {
        let breakers = registry()
        // 40 % of any 10 or more consecutive outcomes fail.
        for _ in 0..<10 {
            run(breakers, key, successes: 3)
            run(breakers, key, failures: 2)
        }
        #expect(breakers.state(of: key) == .closed)
        #expect(breakers.status(of: key).recentFailureRate == 0.4)
    }

    @Test func openRefusesUntilTheCooldownHasPassed() {
        let breakers = registry()
        trip(breakers, key)
        clock.advance(by: .seconds(29))
        #expect(!breakers.permit(key))
        #expect(breakers.state(of: key) == .open)
        clock.advance(by: .milliseconds(999))
        #expect(!breakers.permit(key))
        clock.advance(by: .milliseconds(1))
        #expect(breakers.state(of: key) == .halfOpen)
        let status = breakers.status(of: key)
        #expect(status.openedAt == .zero)
        #expect(status.reopensProbingAt == nil)
        #expect(breakers.permit(key))
    }

    @Test func recordsWhileOpenAreIgnored() {
        let breakers = registry()
        trip(breakers, key)
        breakers.record(key, success: true)  // a request let through before the breaker opened
        breakers.record(key, success: false)
        #expect(breakers.state(of: key) == .open)
        #expect(breakers.status(of: key).consecutiveFailures == 5)
    }

    @Test func halfOpenAllowsExactlyOneProbeByDefault() {
        let breakers = registry()
        trip(breakers, key)
        clock.advance(by: .seconds(30))
        #expect(breakers.permit(key))
        #expect(!breakers.permit(key))
        #expect(!breakers.permit(key))
        #expect(breakers.state(of: key) == .halfOpen)
    }

    @Test func halfOpenAllowsExactlyNConcurrentProbes() async {
        let breakers = registry(CircuitBreakerPolicy(halfOpenProbes: 3))
        trip(breakers, key)
        clock.advance(by: .seconds(30))
        let key = key
        let permitted = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<50 { group.addTask { breakers.permit(key) } }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(permitted == 3)
        #expect(!breakers.permit(key))
        breakers.record(key, success: false, countsAsFailure: false)
        #expect(breakers.permit(key))  // the released slot
        #expect(!breakers.permit(key))
    }

    @Test func probeSuccessCloses() {
        let breakers = registry()
        trip(breakers, key)
        clock.advance(by: .seconds(30))
        #expect(breakers.permit(key))
        breakers.record(key, success: true)
        #expect(
            breakers.status(of: key)
                == BreakerStatus(
                    state: .closed, consecutiveFailures: 0, recentFailureRate: 0, openedAt: nil, reopensProbingAt: nil))
        // A fresh start: one failure does not re-open it.
        run(breakers, key, failures: 1)
        #expect(breakers.state(of: key) == .closed)
    }

    @Test func probeFailureReopensWithAFreshCooldown() {
        let breakers = registry()
        trip(breakers, key)
        clock.advance(by: .seconds(45))
        #expect(breakers.permit(key))
        breakers.record(key, success: false)
        let status = breakers.status(of: key)
        #expect(status.state == .open)
        #expect(status.openedAt == .seconds(45))
        #expect(status.reopensProbingAt == .seconds(75))
        clock.advance(by: .seconds(29))
        #expect(!breakers.permit(key))
        clock.advance(by: .seconds(1))
        #expect(breakers.permit(key))
        #expect(breakers.state(of: key) == .halfOpen)
    }

    @Test func nonCountingFailuresReleaseProbesWithoutChangingState() {
        let breakers = registry()
        trip(breakers, key)
        clock.advance(by: .seconds(30))
        #expect(breakers.permit(key))
        breakers.record(key, success: false, countsAsFailure: false)  // say: invalid request
        #expect(breakers.state(of: key) == .halfOpen)
        #expect(breakers.permit(key))
        #expect(!breakers.permit(key))
        breakers.record(key, success: true)
        #expect(breakers.state(of: key) == .closed)
    }

    @Test func nonCountingFailuresDoNotCountWhileClosed() {
        let breakers = registry()
        for _ in 0..<20 {
            #expect(breakers.permit(key))
            breakers.record(key, success: false, countsAsFailure: false)
        }
        let status = breakers.status(of: key)
        #expect(status.state == .closed)
        #expect(status.consecutiveFailures == 0)
        #expect(status.recentFailureRate == 0)
    }

    @Test func modelKeysAreIndependentOfTheProviderKey() {
        let breakers = registry()
        let model = BreakerKey(provider: .openAI, model: "gpt-4o")
        let otherModel = BreakerKey(provider: .openAI, model: "gpt-4o-mini")
        let otherProvider = BreakerKey(provider: .anthropic, model: "gpt-4o")
        trip(breakers, model)
        #expect(breakers.state(of: key) == .closed)
        #expect(breakers.state(of: otherModel) == .closed)
        #expect(breakers.state(of: otherProvider) == .closed)
        #expect(breakers.permit(key))
        #expect(breakers.permit(otherModel))
        breakers.record(key, success: true)
        breakers.record(otherModel, success: true)

        trip(breakers, key)
        clock.advance(by: .seconds(30))
        #expect(breakers.permit(model))
        breakers.record(model, success: true)
        #expect(breakers.state(of: model) == .closed)
        #expect(breakers.state(of: key) == .halfOpen)
    }

    @Test func snapshotListsEveryUsedKey() {
        let breakers = registry()
        let model = BreakerKey(provider: .gemini, model: "gemini-2.5-flash")
        trip(breakers, key)
        run(breakers, model, successes: 1)
        clock.advance(by: .seconds(10))
        let snapshot = breakers.snapshot()
        #expect(snapshot.count == 2)
        #expect(snapshot[key]?.state == .open)
        #expect(snapshot[key]?.reopensProbingAt == .seconds(30))
        #expect(snapshot[model]?.state == .closed)
        clock.advance(by: .seconds(20))
        #expect(breakers.snapshot()[key]?.state == .halfOpen)
    }

    @Test func resetForcesClosed() {
        let breakers = registry()
        trip(breakers, key)
        breakers.reset(key)
        #expect(breakers.state(of: key) == .closed)
        #expect(breakers.status(of: key).consecutiveFailures == 0)
        #expect(breakers.permit(key))
        breakers.record(key, success: false)
        #expect(breakers.state(of: key) == .closed)
    }

    @Test func customThresholds() {
        let breakers = registry(CircuitBreakerPolicy(consecutiveFailures: 2, cooldown: .seconds(5)))
        run(breakers, key, failures: 2)
        #expect(breakers.state(of: key) == .open)
        clock.advance(by: .seconds(5))
        #expect(breakers.state(of: key) == .halfOpen)
    }
}
