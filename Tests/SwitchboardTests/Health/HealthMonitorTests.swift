import Logging
import Switchboard
import SwitchboardTesting
import Testing

/// `HealthMonitor` against the simulator over real HTTP, with time on a `ManualClock`.
@Suite(.timeLimit(.minutes(1))) struct HealthMonitorTests {
    @Test func healthySimulatedProvidersAreUp() async throws {
        try await ProviderSimulator.withSimulator { simulator in
            try await withProviders(simulatedConfigurations(simulator)) { providers, _ in
                let monitor = makeMonitor(providers)
                #expect(monitor.statuses.map(\.state) == [.unknown, .unknown, .unknown, .unknown])
                let statuses = await monitor.checkAll()
                #expect(statuses.map(\.provider) == [.openAI, .anthropic, .gemini, .ollama])
                for status in statuses {
                    #expect(status.state == .up, "\(status.provider): \(status.lastError ?? "")")
                    #expect(status.lastLatency != nil)
                    #expect(status.averageLatency == status.lastLatency)
                    #expect(status.consecutiveFailures == 0)
                    #expect(status.checkedAt == .zero)
                    #expect(status.circuits.isEmpty)
                }
                #expect(monitor.status(of: .ollama)?.isLocal == true)
                #expect(monitor.status(of: .openAI)?.isLocal == true)  // the simulator is on loopback
                #expect(monitor.status(of: "nobody") == nil)
                #expect(!monitor.isDown(.openAI))
            }
        }
    }

    @Test func unreachableProviderIsDegradedThenDown() async throws {
        let port = try await closedPort()
        let configuration = ProviderConfiguration(
            id: .openAI, kind: .openAI, apiKey: APIKey(testOpenAIKey), baseURL: "http://127.0.0.1:\(port)/v1")
        try await withProviders([configuration]) { providers, _ in
            let clock = ManualClock()
            let monitor = makeMonitor(providers, clock: clock)
            var status = try #require(await monitor.checkAll().first)
            #expect(status.state == .degraded)
            #expect(status.consecutiveFailures == 1)
            #expect(status.lastError?.contains("network") == true)
            #expect(!monitor.isDown(.openAI))
            clock.advance(by: .seconds(30))
            status = try #require(await monitor.checkAll().first)
            #expect(status.state == .down)
            #expect(status.consecutiveFailures == 2)
            #expect(status.checkedAt == .seconds(30))
            #expect(monitor.isDown(.openAI))
        }
    }

    @Test func ollamaNotRunningIsDownAtOnce() async throws {
        let port = try await closedPort()
        let configuration = ProviderConfiguration(id: .ollama, kind: .ollama, baseURL: "127.0.0.1:\(port)")
        try await withProviders([configuration]) { providers, _ in
            let monitor = makeMonitor(providers)
            let status = try #require(await monitor.checkAll().first)
            #expect(status.state == .down)
            #expect(status.isLocal)
            #expect(status.lastError?.contains("not running") == true)
        }
    }

    @Test func rejectedKeyIsDownAndRecoversWhenAccepted() async throws {
        try await ProviderSimulator.withSimulator { simulator in
            simulator.requireAPIKey("sk-ant-the-right-key-000000", for: .anthropic)
            let configuration = ProviderConfiguration(
                id: .anthropic, kind: .anthropic, apiKey: APIKey(testAnthropicKey),
                baseURL: simulator.baseURL(for: .anthropic))
            try await withProviders([configuration]) { providers, _ in
                let clock = ManualClock()
                let monitor = makeMonitor(providers, clock: clock)
                var status = try #require(await monitor.checkAll().first)
                #expect(status.state == .down)
                #expect(status.lastError?.contains("authentication") == true)
                #expect(status.lastError?.contains(testAnthropicKey) == false)

                simulator.requireAPIKey(nil, for: .anthropic)
                clock.advance(by: .seconds(30))
                status = try #require(await monitor.checkAll().first)
                #expect(status.state == .up)
                #expect(status.consecutiveFailures == 0)
                #expect(status.lastError == nil)
                #expect(status.checkedAt == .seconds(30))
            }
        }
    }

    @Test func slowProbeIsDegraded() async throws {
        try await ProviderSimulator.withSimulator { simulator in
            try await withProviders(Array(simulatedConfigurations(simulator).prefix(1))) { providers, _ in
                // Any real probe takes longer than zero.
                let monitor = makeMonitor(providers, policy: HealthPolicy(degradedLatency: .zero))
                let status = try #require(await monitor.checkAll().first)
                #expect(status.state == .degraded)
                #expect(status.consecutiveFailures == 0)
                #expect(status.lastError?.hasPrefix("slow: answered in") == true)
            }
        }
    }

    @Test func latencyThresholdAndMovingAverage() async throws {
        let provider = ScriptedHealthProvider("scripted")
        provider.script([
            .healthy(latency: .seconds(3)), .healthy(latency: .seconds(3)), .healthy(latency: .seconds(1)),
        ])
        let monitor = makeMonitor([provider], policy: HealthPolicy(degradedLatency: .seconds(2)))
        var status = await monitor.checkAll()[0]
        #expect(status.state == .degraded)
        #expect(status.lastLatency == .seconds(3))
        status = await monitor.checkAll()[0]
        #expect(status.averageLatency == .seconds(3))
        status = await monitor.checkAll()[0]
        #expect(status.state == .up)
        #expect(status.lastLatency == .seconds(1))
        let average = try #require(status.averageLatency)
        #expect(average > .microseconds(2_399_999) && average < .microseconds(2_400_001))  // 3 + 0.3 × (1 − 3)
    }

    @Test func retryableFailuresDegradeThenDownThenRecover() async {
        let provider = ScriptedHealthProvider("scripted")
        provider.script([
            .degraded("server (HTTP 500)"), .degraded("server (HTTP 500)"), .degraded("server (HTTP 500)"),
        ])
        let monitor = makeMonitor([provider], policy: HealthPolicy(failuresBeforeDown: 3))
        #expect(await monitor.checkAll()[0].state == .degraded)
        #expect(await monitor.checkAll()[0].state == .degraded)
        let down = await monitor.checkAll()[0]
        #expect(down.state == .down)
        #expect(down.consecutiveFailures == 3)
        #expect(down.lastError == "server (HTTP 500)")
        let recovered = await monitor.checkAll()[0]
        #expect(recovered.state == .up)
        #expect(recovered.consecutiveFailures == 0)
    }

    @Test func probeTimeoutRunsOnTheClock() async throws {
        let provider = ScriptedHealthProvider("stuck")
        provider.script([.hang])
        let clock = ManualClock()
        let monitor = makeMonitor([provider], policy: HealthPolicy(probeTimeout: .seconds(5)), clock: clock)
        let round = Task { await monitor.checkAll() }
        await clock.waitForSleepers(1)
        #expect(clock.sleeperDeadlines == [ManualClock.Instant(offset: .seconds(5))])
        clock.advance(by: .seconds(5))
        let status = try #require(await round.value.first)
        #expect(status.state == .degraded)
        #expect(status.lastError == "no answer within 5s")
        #expect(status.checkedAt == .seconds(5))
    }

    @Test func probesRunConcurrently() async {
        let stuck = ScriptedHealthProvider("stuck")
        stuck.script([.hang])
        let healthy = ScriptedHealthProvider("healthy")
        let clock = ManualClock()
        let monitor = makeMonitor([stuck, healthy], clock: clock)
        let round = Task { await monitor.checkAll() }
        // The healthy provider's result lands while the other probe still waits for its timeout.
        await eventually("the healthy provider up") { monitor.status(of: "healthy")?.state == .up }
        #expect(monitor.status(of: "stuck")?.state == .unknown)
        await clock.waitForSleepers(1)
        clock.advance(by: HealthPolicy().probeTimeout)
        #expect(await round.value.map(\.state) == [.degraded, .up])
    }

    @Test func requestOutcomesUpdateHealth() {
        let monitor = makeMonitor([ScriptedHealthProvider(.openAI), ScriptedHealthProvider(.anthropic)])
        monitor.record(.openAI, outcome: .success(latency: .milliseconds(250)))
        #expect(monitor.status(of: .openAI)?.state == .up)
        #expect(monitor.status(of: .openAI)?.lastLatency == .milliseconds(250))

        // A network failure of a real request: down at once.
        monitor.record(
            .openAI, outcome: .failure(ProviderError(kind: .network, provider: .openAI, message: "connection refused")))
        #expect(monitor.isDown(.openAI))

        // Errors about the request say nothing about the provider.
        monitor.record(.anthropic, outcome: .success(latency: nil))
        for kind in [ProviderError.Kind.invalidRequest, .contextTooLong, .rateLimited, .notFound, .cancelled] {
            monitor.record(.anthropic, outcome: .failure(ProviderError(kind: kind, provider: .anthropic, message: "x")))
        }
        #expect(monitor.status(of: .anthropic)?.state == .up)
        #expect(monitor.status(of: .anthropic)?.consecutiveFailures == 0)

        // Server failures count, one at a time.
        let overloaded = ProviderError(kind: .overloaded, provider: .anthropic, status: 529, message: "overloaded")
        monitor.record(.anthropic, outcome: .failure(overloaded))
        #expect(monitor.status(of: .anthropic)?.state == .degraded)
        monitor.record(.anthropic, outcome: .failure(overloaded))
        #expect(monitor.isDown(.anthropic))
        monitor.record(.anthropic, outcome: .success(latency: nil))
        #expect(monitor.status(of: .anthropic)?.state == .up)

        // Unwatched providers are ignored.
        monitor.record("elsewhere", outcome: .success(latency: nil))
        #expect(monitor.status(of: "elsewhere") == nil)
        #expect(monitor.statuses.map(\.provider) == [.openAI, .anthropic])
    }

    @Test func changesStreamReportsEachTransition() async {
        let provider = ScriptedHealthProvider("scripted")
        let monitor = makeMonitor([provider])
        let changes = monitor.changes()
        provider.script([
            .healthy(latency: .milliseconds(5)), .healthy(latency: .milliseconds(5)), .degraded("e"), .degraded("e"),
        ])
        for _ in 0..<4 { await monitor.checkAll() }
        monitor.record("scripted", outcome: .success(latency: nil))
        var seen: [String] = []
        for await change in changes {
            #expect(change.provider == "scripted")
            #expect(change.status.state == change.to)
            seen.append("\(change.from)→\(change.to)")
            if seen.count == 4 { break }
        }
        // The second healthy round changed nothing, so it is not reported.
        #expect(seen == ["unknown→up", "up→degraded", "degraded→down", "down→up"])
    }

    @Test func changesStreamEndsWhenTheMonitorIsReleased() async {
        var monitor: HealthMonitor? = makeMonitor([ScriptedHealthProvider("scripted")])
        let changes = monitor!.changes()
        monitor = nil
        var count = 0
        for await _ in changes { count += 1 }
        #expect(count == 0)
    }
}
