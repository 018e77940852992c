import Logging
import Metrics
import MetricsTestKit
import Switchboard
import SwitchboardTesting
import Testing

/// Online, degraded and offline, from real requests and probes over loopback: the network is cut by
/// stopping the simulator of the external providers and restored by starting it again.
@Suite(.timeLimit(.minutes(2))) struct ConnectivityTests {
    @Test func oneNetworkFailureDegradesTwoGoOfflineAndALocalModelAnswers() async throws {
        try await withOfflineClient { client, world in
            let changes = client.connectivity.modeChanges()
            world.internet.enqueue(.text("From the cloud."), for: .openAI)
            let online = try await client.chat(.task(.complexReasoning))
            #expect(online.provider == .openAI)
            #expect(client.connectivity.mode == .online)

            await world.internet.stop()
            let first = try await client.chat(.task(.complexReasoning))
            #expect(first.provider == .ollama)
            #expect(first.attempts.map(\.provider) == [.openAI, .anthropic, .ollama])
            #expect(client.connectivity.mode == .degraded)

            let second = try await client.chat(.task(.complexReasoning))
            #expect(second.provider == .ollama)
            #expect(client.connectivity.mode == .offline)
            #expect(client.connectivity.unreachableProviders == [.openAI, .anthropic])

            // Offline, the unreachable providers are not even tried.
            let third = try await client.chat(.task(.complexReasoning))
            #expect(third.provider == .ollama)
            #expect(third.attempts.map(\.provider) == [.ollama])

            var iterator = changes.makeAsyncIterator()
            let degraded = await iterator.next()
            #expect(degraded?.from == .online)
            #expect(degraded?.to == .degraded)
            let offline = await iterator.next()
            #expect(offline?.to == .offline)
            #expect(offline?.reason.contains("no external provider can be reached") == true)
        }
    }

    @Test func anAnswerWithAnErrorMeansReachableNotOffline() async throws {
        try await withOfflineClient(configure: { configuration, _ in
            configuration.providers.removeAll { $0.id == .anthropic }
        }) { client, world in
            for _ in 0..<3 {
                world.internet.enqueue(.failure(status: 500), for: .openAI)
                let answer = try await client.chat(.task(.complexReasoning))
                #expect(answer.provider == .ollama)
            }
            #expect(client.connectivity.mode == .degraded)
            #expect(client.connectivity.reachability.map(\.state) == [.failing])
            world.internet.enqueue(.text("Back."), for: .openAI)
            #expect(try await client.chat(.task(.complexReasoning)).provider == .openAI)
            #expect(client.connectivity.mode == .online)
        }
    }

    @Test func recoveryProbesBackOffUntilTheProviderAnswersAgain() async throws {
        try await withOfflineWorld { world in
            let clock = ManualClock()
            let transport = HTTPTransport()
            do {
                try await checkRecovery(world: world, clock: clock, transport: transport)
            } catch {
                try? await transport.shutdown()
                throw error
            }
            try await transport.shutdown()
        }
    }

    private func checkRecovery(world: OfflineWorld, clock: ManualClock, transport: HTTPTransport) async throws {
        var openAI = try OpenAIConfiguration(
            apiKey: APIKey(testOpenAIKey), baseURL: world.internet.baseURL(for: .openAI))
        openAI.isLocal = false
        let monitor = ConnectivityMonitor(
            providers: [OpenAIProvider(configuration: openAI, transport: transport)],
            policy: ConnectivityPolicy(
                failuresBeforeUnreachable: 2, probeTimeout: .seconds(30), initialProbeBackoff: .seconds(1),
                maxProbeBackoff: .seconds(4)),
            clock: PolicyClock(clock), logger: Logger(label: "test"))
        await world.internet.stop()
        #expect(await monitor.checkNow() == .degraded)
        #expect(await monitor.checkNow() == .offline)

        let changes = monitor.modeChanges()
        let running = Task { try await monitor.run() }
        // 1 s after the second failure, then 2 s, then 4 s, then capped at 4 s.
        for (failures, deadline) in [(2, 1), (3, 3), (4, 7), (5, 11)] {
            await eventually("probe \(failures) failed") {
                monitor.reachability.first?.consecutiveNetworkFailures == failures
            }
            await eventually("the next probe waits until \(deadline) s") {
                clock.sleeperDeadlines == [ManualClock.Instant(offset: .seconds(deadline))]
            }
            if deadline < 11 { clock.advance(by: .seconds(deadline) - clock.now.offset) }
        }
        #expect(monitor.mode == .offline)
        let probesWhileDown = world.internet.requests.count
        try await world.internet.restart()
        clock.advance(by: .seconds(4))
        var iterator = changes.makeAsyncIterator()
        let back = await iterator.next()
        #expect(back?.to == .online)
        #expect(monitor.reachability.first?.state == .reachable)
        #expect(world.internet.requests.count == probesWhileDown + 1)
        #expect(world.internet.requests.last?.pathWithoutQuery == "/openai/v1/models")
        running.cancel()
        try? await running.value
    }

    @Test func aDueProbeRunsBeforeARequestSoAClientComesBackWithoutTheService() async throws {
        let clock = ManualClock()
        try await withOfflineClient(configure: { configuration, _ in
            configuration.offline.clock = PolicyClock(clock)
        }) { client, world in
            await world.internet.stop()
            for _ in 0..<2 { _ = try await client.chat(.task(.complexReasoning)) }
            #expect(client.connectivity.mode == .offline)
            try await world.internet.restart()
            // Not due yet: still offline, the local model answers and nothing reaches the internet.
            #expect(try await client.chat(.task(.complexReasoning)).provider == .ollama)
            #expect(world.internet.requests.isEmpty)

            clock.advance(by: ConnectivityPolicy().initialProbeBackoff)
            world.internet.enqueue(.text("Online again."), for: .openAI)
            let answer = try await client.chat(.task(.complexReasoning))
            #expect(answer.provider == .openAI)
            #expect(client.connectivity.mode == .online)
            #expect(world.internet.requests.map(\.pathWithoutQuery).contains("/openai/v1/models"))
        }
    }

    @Test func modeChangesAreRecordedInTheGauge() async throws {
        let metrics = ObservationTests.metrics
        let provider = UnreachableTestProvider(id: "gauge-provider")
        let monitor = ConnectivityMonitor(
            providers: [provider], policy: ConnectivityPolicy(failuresBeforeUnreachable: 2), name: "gauge-test",
            logger: Logger(label: "test"))
        let failure = ProviderError(kind: .network, provider: provider.id, message: "connection refused")
        monitor.record(provider.id, outcome: .failure(failure))
        monitor.record(provider.id, outcome: .failure(failure))
        monitor.record(provider.id, outcome: .success(latency: nil))
        let gauge = try metrics.expectGauge("switchboard.connectivity.mode", [("monitor", "gauge-test")])
        #expect(gauge.values == [0, 1, 2, 0])
        let offline = try metrics.expectCounter(
            "switchboard.connectivity.changes", [("monitor", "gauge-test"), ("to", "offline")])
        #expect(offline.totalValue == 1)
    }

    @Test func failuresThatSendNothingOrAreAboutTheRequestDoNotCount() {
        let provider = UnreachableTestProvider(id: "ignoring-provider")
        let monitor = ConnectivityMonitor(providers: [provider], logger: Logger(label: "test"))
        for kind in [ProviderError.Kind.cancelled, .queueTimeout, .budgetExceeded, .noRoute] {
            monitor.record(provider.id, outcome: .failure(ProviderError(kind: kind, message: "x")))
        }
        #expect(monitor.reachability.first?.state == .unknown)
        monitor.record(provider.id, outcome: .failure(ProviderError(kind: .invalidRequest, status: 400, message: "x")))
        #expect(monitor.reachability.first?.state == .reachable)
        monitor.record("local-or-unknown", outcome: .failure(ProviderError(kind: .network, message: "x")))
        #expect(monitor.mode == .online)
    }
}

/// An external provider whose calls fail with `network`; for tests that feed outcomes by hand.
struct UnreachableTestProvider: LanguageModelProvider {
    let id: ProviderID
    var defaultModel: String? { "model" }

    func complete(_ request: ChatRequest, logger: Logger) async throws -> ChatResponse { throw unreachable }
    func stream(_ request: ChatRequest, logger: Logger) async throws -> ChatEventStream { throw unreachable }
    func models(logger: Logger) async throws -> [ModelInfo] { throw unreachable }
    func embed(_ request: EmbeddingRequest, logger: Logger) async throws -> EmbeddingResponse { throw unreachable }

    private var unreachable: ProviderError {
        ProviderError(kind: .network, provider: id, message: "connection refused")
    }
}
