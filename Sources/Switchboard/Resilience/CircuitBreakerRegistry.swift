import Synchronization

/// The circuit breakers of every provider and model, keyed by ``BreakerKey``, created on first use.
///
/// Call ``permit(_:)`` before sending a request and, when it returned `true`, ``record(_:success:countsAsFailure:)``
/// exactly once with the outcome — also when the request was cancelled or failed for a reason that says
/// nothing about the provider (pass `countsAsFailure: false`), or a half-open probe slot stays taken.
/// Outcomes recorded while a breaker is open (requests let through before it opened) are ignored.
///
/// Time comes from the injected ``PolicyClock``, so tests drive cooldowns with a manual clock.
public final class CircuitBreakerRegistry: Sendable {
    private struct Breaker {
        var state: CircuitState = .closed
        var consecutiveFailures = 0
        /// The most recent counted outcomes, oldest first; `true` is a failure.
        var outcomes: [Bool] = []
        var openedAt: Duration?
        var probesInFlight = 0

        var failureRate: Double {
            outcomes.isEmpty ? 0 : Double(outcomes.count(where: { $0 })) / Double(outcomes.count)
        }
    }

    /// The policy every breaker follows.
    public let policy: CircuitBreakerPolicy
    private let clock: PolicyClock
    private let breakers = Mutex<[BreakerKey: Breaker]>([:])

    /// A registry whose breakers follow `policy` and read time from `clock`.
    public init(policy: CircuitBreakerPolicy = .init(), clock: PolicyClock = .continuous) {
        self.policy = policy
        self.clock = clock
    }

    /// Whether a request may go to `key` now.
    ///
    /// Closed: always `true`. Open: `false` until the cooldown has passed; then the breaker turns half-open
    /// and returns `true` for up to ``CircuitBreakerPolicy/halfOpenProbes`` concurrent probes (at least one).
    /// Takes a probe slot when it returns `true` in half-open; ``record(_:success:countsAsFailure:)`` gives it back.
    public func permit(_ key: BreakerKey) -> Bool {
        let now = clock.now
        return breakers.withLock { breakers in
            var breaker = breakers[key] ?? Breaker()
            defer { breakers[key] = breaker }
            advance(&breaker, now: now)
            switch breaker.state {
            case .closed:
                return true
            case .open:
                return false
            case .halfOpen:
                guard breaker.probesInFlight < max(1, policy.halfOpenProbes) else { return false }
                breaker.probesInFlight += 1
                return true
            }
        }
    }

    /// Records the outcome of a request that ``permit(_:)`` let through.
    ///
    /// Only failures that say something about the provider count (the retryable kinds: rate limited,
    /// overloaded, server, network, timeout). Pass `countsAsFailure: false` for the others (invalid request,
    /// content filtered, cancelled, …): they release a half-open probe slot and change nothing else.
    /// In half-open a success closes the breaker and clears its history; a counted failure opens it again
    /// with a fresh cooldown.
    public func record(_ key: BreakerKey, success: Bool, countsAsFailure: Bool = true) {
        let now = clock.now
        breakers.withLock { breakers in
            var breaker = breakers[key] ?? Breaker()
            defer { breakers[key] = breaker }
            advance(&breaker, now: now)
            let counted = success || countsAsFailure
            switch breaker.state {
            case .open:
                return
            case .halfOpen:
                breaker.probesInFlight = max(0, breaker.probesInFlight - 1)
                guard counted else { return }
                if success {
                    breaker = Breaker()
                } else {
                    note(failure: true, in: &breaker)
                    open(&breaker, now: now)
                }
            case .closed:
                guard counted else { return }
                note(failure: !success, in: &breaker)
                if shouldOpen(breaker) { open(&breaker, now: now) }
            }
        }
    }

    /// The state of the breaker for `key`; `closed` for a key never seen.
    public func state(of key: BreakerKey) -> CircuitState {
        status(of: key).state
    }

    /// The status of the breaker for `key`; a closed, empty status for a key never seen.
    public func status(of key: BreakerKey) -> BreakerStatus {
        let now = clock.now
        return breakers.withLock { breakers in
            guard var breaker = breakers[key] else { return status(of: Breaker()) }
            advance(&breaker, now: now)
            breakers[key] = breaker
            return status(of: breaker)
        }
    }

    /// The status of every breaker that has been used.
    public func snapshot() -> [BreakerKey: BreakerStatus] {
        let now = clock.now
        return breakers.withLock { breakers in
            var result: [BreakerKey: BreakerStatus] = [:]
            for (key, var breaker) in breakers {
                advance(&breaker, now: now)
                breakers[key] = breaker
                result[key] = status(of: breaker)
            }
            return result
        }
    }

    /// Forces the breaker for `key` closed and forgets its history (manual override, tests).
    public func reset(_ key: BreakerKey) {
        breakers.withLock { $0[key] = nil }
    }

    // MARK: - Transitions (called with the lock held)

    /// Turns an open breaker half-open once its cooldown has passed.
    private func advance(_ breaker: inout Breaker, now: Duration) {
        guard breaker.state == .open, let openedAt = breaker.openedAt, now >= openedAt + policy.cooldown else { return }
        breaker.state = .halfOpen
        breaker.probesInFlight = 0
    }

    private func note(failure: Bool, in breaker: inout Breaker) {
        breaker.consecutiveFailures = failure ? breaker.consecutiveFailures + 1 : 0
        breaker.outcomes.append(failure)
        let excess = breaker.outcomes.count - max(1, policy.window)
        if excess > 0 { breaker.outcomes.removeFirst(excess) }
    }

    private func shouldOpen(_ breaker: Breaker) -> Bool {
        if breaker.consecutiveFailures >= max(1, policy.consecutiveFailures) { return true }
        return breaker.outcomes.count >= max(1, policy.minimumRequests) && breaker.failureRate >= policy.failureRate
    }

    private func open(_ breaker: inout Breaker, now: Duration) {
        breaker.state = .open
        breaker.openedAt = now
        breaker.probesInFlight = 0
    }

    private func status(of breaker: Breaker) -> BreakerStatus {
        BreakerStatus(
            state: breaker.state,
            consecutiveFailures: breaker.consecutiveFailures,
            recentFailureRate: breaker.failureRate,
            openedAt: breaker.state == .closed ? nil : breaker.openedAt,
            reopensProbingAt: breaker.state == .open ? breaker.openedAt.map { $0 + policy.cooldown } : nil
        )
    }
}
