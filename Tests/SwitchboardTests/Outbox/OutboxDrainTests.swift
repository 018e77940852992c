import Foundation
import Logging
import Switchboard
import SwitchboardTesting
import Testing

/// Draining the outbox through the client's pipeline: order, persistence across a restart, retries
/// with backoff, failure after the last try, a lost connection, and the service that drains when the
/// connection returns.
@Suite(.timeLimit(.minutes(2))) struct OutboxDrainTests {
    /// Cuts the network and goes offline with two requests.
    private func goOffline(_ client: LLMClient, _ world: OfflineWorld) async throws {
        await world.internet.stop()
        for _ in 0..<2 { _ = try await client.chat(.task(.complexReasoning)) }
        // Under load the local model can be ranked first by latency after the first failures, so the
        // second request may not try the external providers again; probes settle it either way.
        for _ in 0..<3 where client.connectivity.mode != .offline { await client.connectivity.checkNow() }
        #expect(client.connectivity.mode == .offline)
    }

    private func deferred(_ prompt: String, priority: RequestPriority = .normal) -> ChatRequest {
        var request = ChatRequest.task(OfflineWorld.research, prompt)
        request.metadata.deferrable = true
        request.metadata.priority = priority
        return request
    }

    /// The prompts of the chat requests the internet received, in order.
    private func sentPrompts(_ world: OfflineWorld) -> [String] {
        world.internet.requests(for: .openAI).filter { $0.pathWithoutQuery.hasSuffix("/chat/completions") }
            .compactMap { request in
                guard case .array(let messages)? = request.json?["messages"] else { return nil }
                return messages.last?["content"]?.stringValue
            }
    }

    @Test func entriesAreSentByPriorityThenAgeOnceTheConnectionReturns() async throws {
        let now = TestNow(Date(timeIntervalSince1970: 1_700_000_000))
        try await withOfflineClient(configure: { configuration, _ in
            configuration.offline.wallClock = WallClock(now.closure)
            configuration.providers.removeAll { $0.id == .anthropic }
        }) { client, world in
            try await goOffline(client, world)
            let plan: [(String, RequestPriority)] = [
                ("normal, oldest", .normal), ("low", .low), ("high, older", .high), ("normal, newer", .normal),
                ("high, newer", .high), ("critical", .critical),
            ]
            for (prompt, priority) in plan {
                #expect(try await client.submit(deferred(prompt, priority: priority)).ticket != nil)
                now.advance(by: 1)
            }
            #expect(try await client.outbox.drain().stoppedOffline)
            #expect(sentPrompts(world).isEmpty)

            try await world.internet.restart()
            #expect(await client.connectivity.checkNow() == .online)
            let results = client.outbox.results()
            let report = try await client.outbox.drain()
            let expected = ["critical", "high, older", "high, newer", "normal, oldest", "normal, newer", "low"]
            #expect(sentPrompts(world) == expected)
            #expect(report.completed.map { $0.request.messages[0].text } == expected)
            #expect(report.remaining == 0)
            var delivered: [OutboxTicket] = []
            for await entry in results {
                delivered.append(entry.ticket)
                if delivered.count == expected.count { break }
            }
            #expect(delivered == report.completed.map(\.ticket))
            for entry in try await client.outbox.entries() {
                #expect(entry.state == .completed)
                #expect(entry.attempts == 1)
                #expect(entry.result?.provider == .openAI)
                #expect(entry.result?.text == "Simulated reply to: \(entry.request.messages[0].text)")
            }
        }
    }

    @Test func theOutboxSurvivesARestartOfTheClient() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await withOfflineWorld { world in
            var configuration = world.configuration()
            configuration.dataDirectory = directory.path
            configuration.offline.outbox.storeKind = .sqlite
            let ticket = try await withLLMClient(configuration: configuration) { client in
                try await goOffline(client, world)
                return try #require(try await client.submit(deferred("Kept across a restart")).ticket)
            }
            #expect(FileManager.default.fileExists(atPath: directory.path + "/outbox.sqlite"))
            try await world.internet.restart()
            try await withLLMClient(configuration: configuration) { client in
                let waiting = try #require(try await client.outbox.entry(ticket))
                #expect(waiting.state == .pending)
                #expect(waiting.request.messages[0].text == "Kept across a restart")
                let report = try await client.outbox.drain()
                #expect(report.completed.map(\.ticket) == [ticket])
            }
            try await withLLMClient(configuration: configuration) { client in
                let done = try #require(try await client.outbox.entry(ticket))
                #expect(done.state == .completed)
                #expect(done.result?.text == "Simulated reply to: Kept across a restart")
                #expect(try await client.outbox.drain().completed.isEmpty)
            }
            #expect(sentPrompts(world) == ["Kept across a restart"])
        }
    }

    @Test func failuresRetryWithBackoffAndEndFailedAfterTheLastTry() async throws {
        let now = TestNow(Date(timeIntervalSince1970: 1_700_000_000))
        try await withOfflineClient(configure: { configuration, _ in
            configuration.offline.wallClock = WallClock(now.closure)
            configuration.offline.outbox.maxAttempts = 3
            configuration.offline.outbox.initialRetryBackoff = .seconds(30)
            configuration.providers.removeAll { $0.id == .anthropic }
        }) { client, world in
            try await goOffline(client, world)
            let ticket = try #require(try await client.submit(deferred("Flaky")).ticket)
            try await world.internet.restart()
            #expect(await client.connectivity.checkNow() == .online)
            for _ in 0..<3 { world.internet.enqueue(.failure(status: 500), for: .openAI) }

            var report = try await client.outbox.drain()
            #expect(report.retrying.map(\.ticket) == [ticket])
            var entry = try #require(try await client.outbox.entry(ticket))
            #expect(entry.attempts == 1)
            #expect(entry.retryAt == now.current.addingTimeInterval(30))
            #expect(entry.lastError?.kind == "server")

            // Not due yet: nothing is sent.
            report = try await client.outbox.drain()
            #expect(report.completed.isEmpty && report.retrying.isEmpty && report.failed.isEmpty)
            #expect(sentPrompts(world).count == 1)

            now.advance(by: 30)
            report = try await client.outbox.drain()
            entry = try #require(report.retrying.first)
            #expect(entry.attempts == 2)
            #expect(entry.retryAt == now.current.addingTimeInterval(60))

            now.advance(by: 60)
            let results = client.outbox.results()
            report = try await client.outbox.drain()
            let failed = try #require(report.failed.first)
            #expect(failed.state == .failed)
            #expect(failed.attempts == 3)
            #expect(failed.lastError?.kind == "server")
            var iterator = results.makeAsyncIterator()
            #expect(await iterator.next()?.state == .failed)
            #expect(sentPrompts(world) == ["Flaky", "Flaky", "Flaky"])
            #expect(try await client.outbox.drain().failed.isEmpty)
        }
    }

    @Test func aFailureSendingAgainCannotFixFailsAtOnce() async throws {
        try await withOfflineClient(configure: { configuration, _ in
            configuration.providers.removeAll { $0.id == .anthropic }
        }) { client, world in
            try await goOffline(client, world)
            let ticket = try #require(try await client.submit(deferred("Too long")).ticket)
            try await world.internet.restart()
            #expect(await client.connectivity.checkNow() == .online)
            world.internet.enqueue(
                .failure(status: 400, code: "context_length_exceeded", message: "maximum context length"), for: .openAI)
            let report = try await client.outbox.drain()
            #expect(report.failed.map(\.ticket) == [ticket])
            #expect(report.failed.first?.lastError?.kind == "contextTooLong")
            #expect(report.failed.first?.attempts == 1)
        }
    }

    @Test func aSpentBudgetHoldsEntriesBackWithoutSendingOrCountingThem() async throws {
        let now = TestNow(Date(timeIntervalSince1970: 1_700_000_000))
        try await withOfflineClient(configure: { configuration, _ in
            configuration.offline.wallClock = WallClock(now.closure)
            configuration.providers.removeAll { $0.id == .anthropic }
            configuration.usage.budgets = BudgetConfiguration(budgets: [
                Budget(
                    name: "tiny", scope: .feature("reports"), period: .daily, limit: Money(microdollars: 1),
                    enforcement: .hard)
            ])
        }) { client, world in
            try await goOffline(client, world)
            var request = deferred("Expensive")
            request.model = "gpt-4o"
            request.maxTokens = 4000
            request.metadata.feature = "reports"
            let ticket = try #require(try await client.submit(request).ticket)
            try await world.internet.restart()
            #expect(await client.connectivity.checkNow() == .online)
            let report = try await client.outbox.drain()
            let held = try #require(report.retrying.first)
            #expect(held.ticket == ticket)
            #expect(held.attempts == 0)
            #expect(held.lastError?.kind == "budgetExceeded")
            #expect(held.retryAt == now.current.addingTimeInterval(900))
            #expect(sentPrompts(world).isEmpty)
        }
    }

    @Test func aLostConnectionStopsTheDrainAndCostsNoAttempt() async throws {
        try await withOfflineClient(configure: { configuration, _ in
            configuration.providers.removeAll { $0.id == .anthropic }
        }) { client, world in
            try await goOffline(client, world)
            for prompt in ["one", "two", "three"] { _ = try await client.submit(deferred(prompt)) }
            try await world.internet.restart()
            #expect(await client.connectivity.checkNow() == .online)
            // The network goes again before the drain: the first send fails (one failure: put back to
            // wait), the second makes openai unreachable and stops the drain.
            await world.internet.stop()
            let report = try await client.outbox.drain()
            #expect(report.stoppedOffline)
            #expect(report.completed.isEmpty)
            #expect(report.remaining == 3)
            for entry in try await client.outbox.entries() {
                #expect(entry.state == .pending)
                #expect(entry.attempts == 0)
            }
        }
    }

    @Test func theServiceDrainsWhenTheConnectionReturns() async throws {
        let clock = ManualClock()
        try await withOfflineClient(configure: { configuration, _ in
            configuration.offline.clock = PolicyClock(clock)
            // One external provider: with two, each probe is applied as it answers, and a drain started
            // on the first (degraded) could send the entry elsewhere before openai's probe lands.
            configuration.providers.removeAll { $0.id == .anthropic }
        }) { client, world in
            try await goOffline(client, world)
            let ticket = try #require(try await client.submit(deferred("Send me later")).ticket)
            let results = client.outbox.results()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await client.connectivity.run() }
                group.addTask { try await client.outbox.run() }
                try await world.internet.restart()
                // The connectivity service probes 1 s after going offline and finds the providers back;
                // the outbox service drains on the change.
                await eventually("the first recovery probe is scheduled") {
                    clock.sleeperDeadlines == [ManualClock.Instant(offset: .seconds(1))]
                }
                clock.advance(by: .seconds(1))
                var iterator = results.makeAsyncIterator()
                let done = await iterator.next()
                #expect(done?.ticket == ticket)
                #expect(done?.state == .completed)
                #expect(client.connectivity.mode == .online)
                group.cancelAll()
            }
            // The simulator logs a request on its own event loop, which can trail the client's answer under load.
            await eventually("the simulator logged the chat") { sentPrompts(world) == ["Send me later"] }
            #expect(sentPrompts(world) == ["Send me later"])
        }
    }
}
