import Logging
import ServiceLifecycle
import ServiceLifecycleTestKit
import Switchboard
import SwitchboardTesting
import Testing

/// `HealthMonitor.run()` in virtual time, and as a `Service`.
@Suite(.timeLimit(.minutes(1))) struct HealthMonitorRunTests {
    /// Waits until the only sleeper is the pause before the round at `offset`.
    func waitForPause(until offset: Duration, on clock: ManualClock) async {
        await eventually("the next round scheduled") { clock.sleeperDeadlines == [ManualClock.Instant(offset: offset)] }
    }

    @Test func runDoesARoundEveryInterval() async throws {
        let provider = ScriptedHealthProvider("scripted")
        provider.script([.healthy(latency: .milliseconds(5)), .degraded("e"), .degraded("e")])
        let clock = ManualClock()
        let monitor = makeMonitor([provider], policy: HealthPolicy(interval: .seconds(10)), clock: clock)
        let running = Task { try await monitor.run() }

        await waitForPause(until: .seconds(10), on: clock)
        #expect(provider.probes == 1)
        #expect(monitor.status(of: "scripted")?.state == .up)
        #expect(monitor.status(of: "scripted")?.checkedAt == .zero)

        clock.advance(by: .seconds(10))
        await waitForPause(until: .seconds(20), on: clock)
        #expect(provider.probes == 2)
        #expect(monitor.status(of: "scripted")?.state == .degraded)

        clock.advance(by: .seconds(10))
        await waitForPause(until: .seconds(30), on: clock)
        #expect(provider.probes == 3)
        #expect(monitor.status(of: "scripted")?.state == .down)
        #expect(monitor.status(of: "scripted")?.checkedAt == .seconds(20))

        running.cancel()
        try await running.value  // returns, does not throw, when cancelled
        #expect(provider.probes == 3)
    }

    @Test func runEndsOnGracefulShutdown() async throws {
        let provider = ScriptedHealthProvider("scripted")
        let clock = ManualClock()
        let monitor = makeMonitor([provider], clock: clock)
        try await testGracefulShutdown { trigger in
            let running = Task { try await monitor.run() }
            await waitForPause(until: .seconds(30), on: clock)
            trigger.triggerGracefulShutdown()
            try await running.value
        }
        #expect(provider.probes == 1)
    }

    @Test func runsInAServiceGroup() async throws {
        let provider = ScriptedHealthProvider("scripted")
        let clock = ManualClock()
        let monitor = makeMonitor([provider], clock: clock)
        let group = ServiceGroup(services: [monitor], logger: Logger(label: "test.services"))
        let running = Task { try await group.run() }
        await waitForPause(until: .seconds(30), on: clock)
        #expect(monitor.status(of: "scripted")?.state == .up)
        await group.triggerGracefulShutdown()
        try await running.value
    }
}
