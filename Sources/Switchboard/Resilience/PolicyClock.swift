/// The time source of every policy: any `Clock` reduced to elapsed time and sleeping, so breakers,
/// backoff and health rounds run in virtual time under test (`SwitchboardTesting.ManualClock`).
public struct PolicyClock: Sendable {
    private let elapsed: @Sendable () -> Duration
    private let sleeper: @Sendable (Duration) async throws -> Void

    /// Wraps `clock`; ``now`` counts from this moment.
    public init<C: Clock>(_ clock: C) where C.Duration == Duration {
        let start = clock.now
        elapsed = { start.duration(to: clock.now) }
        sleeper = { duration in try await clock.sleep(until: clock.now.advanced(by: duration), tolerance: nil) }
    }

    /// Real time.
    public static var continuous: PolicyClock { PolicyClock(ContinuousClock()) }

    /// Time since the clock was wrapped; only differences between two readings mean anything.
    public var now: Duration { elapsed() }

    /// Suspends for `duration` of this clock's time; throws `CancellationError` when cancelled.
    public func sleep(for duration: Duration) async throws {
        guard duration > .zero else { return }
        try await sleeper(duration)
    }
}
