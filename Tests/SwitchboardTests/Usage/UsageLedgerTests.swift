import Foundation
import Logging
import Switchboard
import SwitchboardTesting
import Testing

@Suite(.timeLimit(.minutes(2))) struct UsageLedgerTests {
    func record(_ index: Int, at date: Date = Date(timeIntervalSince1970: 1_790_000_000)) -> UsageRecord {
        UsageRecord(
            requestID: "req-\(index)", attempt: 1, timestamp: date.addingTimeInterval(Double(index)), provider: .openAI,
            model: "gpt-4o", feature: "search", usage: Usage(inputTokens: index, outputTokens: 1),
            cost: Money(picodollars: Int64(index) * 1000), latency: .milliseconds(index))
    }

    @Test func shutdownWritesEveryBufferedRowAndTheFileSurvivesARestart() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/usage.sqlite"
        let ledger = UsageLedger(
            store: try SQLiteUsageStore(path: path), capacity: 5000, batchSize: 64, logger: Logger(label: "test"))
        for index in 0..<1500 { ledger.submit([record(index)]) }
        await ledger.shutdown()
        #expect(ledger.droppedRecords == 0)

        let reopened = try SQLiteUsageStore(path: path)
        let rows = try await reopened.records(since: nil, until: nil)
        #expect(rows.count == 1500)
        #expect(rows.map(\.requestID) == (0..<1500).map { "req-\($0)" })
        #expect(rows[7] == record(7))
    }

    @Test func flushWaitsForRowsSubmittedBeforeIt() async throws {
        let store: any UsageStore = InMemoryUsageStore()
        let ledger = UsageLedger(store: store, batchSize: 3, logger: Logger(label: "test"))
        ledger.submit((0..<10).map { record($0) })
        await ledger.flush()
        #expect(try await store.records(since: nil, until: nil).count == 10)
        await ledger.shutdown()
    }

    @Test func aFullBufferDropsAndCountsInsteadOfGrowing() async throws {
        let store: any UsageStore = InMemoryUsageStore()
        let ledger = UsageLedger(store: store, capacity: 4, logger: Logger(label: "test"))
        ledger.submit((0..<10).map { record($0) })
        await ledger.shutdown()
        #expect(ledger.droppedRecords == 6)
        #expect(try await store.records(since: nil, until: nil).count == 4)
    }

    @Test func storesSumAComponentsCostSinceADate() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        func row(_ index: Int, component: String?, cost: Money?) -> UsageRecord {
            var record = record(index, at: start)
            record.component = component
            record.cost = cost
            return record
        }
        let rows = [
            row(0, component: "checkout", cost: Money(picodollars: 1_000)),  // before `since`
            row(1, component: "checkout", cost: Money(picodollars: 20)),
            row(2, component: "search", cost: Money(picodollars: 300)),
            row(3, component: "checkout", cost: nil),
            row(4, component: nil, cost: Money(picodollars: 4_000)),
            row(5, component: "checkout", cost: Money(picodollars: 5)),
        ]
        let stores: [any UsageStore] = [InMemoryUsageStore(), try SQLiteUsageStore(path: directory.path + "/u.sqlite")]
        for store in stores {
            try await store.append(rows)
            let since = start.addingTimeInterval(1)
            #expect(try await store.cost(ofComponent: "checkout", since: since) == Money(picodollars: 25))
            #expect(try await store.cost(ofComponent: "checkout", since: nil) == Money(picodollars: 1_025))
            #expect(try await store.cost(ofComponent: "nobody", since: nil) == .zero)
        }
    }

    @Test func storesFilterByTimeRange() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        let stores: [any UsageStore] = [InMemoryUsageStore(), try SQLiteUsageStore(path: directory.path + "/u.sqlite")]
        for store in stores {
            try await store.append((0..<5).map { record($0, at: start) })
            let middle = try await store.records(since: start.addingTimeInterval(1), until: start.addingTimeInterval(3))
            #expect(middle.map(\.requestID) == ["req-1", "req-2"])
        }
    }
}

/// The client writes one ledger row per attempt, priced, for answers, streams, failures and
/// abandoned streams — and never the key or the prompt.
@Suite(.timeLimit(.minutes(2))) struct UsageRecordingTests {
    @Test func everyKindOfEndingIsRecordedWithCostInTheSQLiteLedger() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/usage.sqlite"
        let usage = UsageConfiguration(ledger: .sqlite, ledgerPath: path)
        try await withSimulatedClient(usage: usage) { client, simulator in
            // gpt-4o-mini: 1000 × $0.15/M + 200 × $0.60/M = 150 + 120 µ$ = 270 µ$.
            simulator.enqueue(
                .text("a", usage: SimulatedUsage(inputTokens: 1000, outputTokens: 200)), for: .openAI)
            let answer = try await client.chat(
                ChatRequest(
                    messages: [.user("secret prompt")], provider: .openAI,
                    metadata: RequestMetadata(taskType: .simpleGeneration, feature: "search", user: "ada")))
            #expect(answer.cost?.total == Money(microdollars: 270))

            // claude-haiku-4-5 stream: 100 × $1/M + 40 × $5/M = 100 + 200 µ$.
            simulator.enqueue(.text("b", usage: SimulatedUsage(inputTokens: 100, outputTokens: 40)), for: .anthropic)
            let streamed = try await client.stream(ChatRequest(messages: [.user("2")], provider: .anthropic)).collect()
            #expect(streamed.cost?.total == Money(microdollars: 300))

            simulator.enqueue(.failure(status: 500), for: .openAI)
            _ = try? await client.chat(ChatRequest(messages: [.user("3")], provider: .openAI))

            var broken = SimulatedReply.text(
                "a long answer that breaks", usage: SimulatedUsage(inputTokens: 21, outputTokens: 9))
            broken.chunkSize = 2
            simulator.enqueue(broken.with(.cutStream(afterEvents: 6)), for: .anthropic)
            do {
                for try await _ in try await client.stream(ChatRequest(messages: [.user("4")], provider: .anthropic)) {}
            } catch {}

            simulator.enqueue(.text("abandoned after the first piece", usage: .estimated), for: .gemini)
            let stream = try await client.stream(ChatRequest(messages: [.user("5")], provider: .gemini))
            for try await event in stream {
                if case .textDelta = event { break }
            }
            let daily = client.usage().total(period: .daily)
            #expect(daily.totalRequests == 5)
            #expect(daily.totalCost >= Money(microdollars: 570))
        }
        let rows = try await SQLiteUsageStore(path: path).records(since: nil, until: nil)
        #expect(rows.count == 5)
        let first = try #require(rows.first { $0.outcome == "success" && $0.provider == .openAI })
        #expect(first.cost == Money(microdollars: 270))
        #expect(first.feature == "search" && first.user == "ada" && first.taskType == "simple")
        #expect(first.model == "gpt-4o-mini")
        #expect(first.keyFingerprint == Fingerprint.of(testOpenAIKey))
        #expect(first.keyFingerprint?.count == 12)
        #expect(first.promptFingerprint?.count == 12)
        let stream = try #require(rows.first { $0.provider == .anthropic && $0.outcome == "success" })
        #expect(stream.streamed && stream.cost == Money(microdollars: 300) && stream.timeToFirstToken != nil)
        #expect(rows.contains { $0.provider == .openAI && $0.outcome == "server" })
        let interrupted = try #require(rows.first { $0.outcome == "streamInterrupted" })
        #expect(interrupted.usage.inputTokens == 21)
        // claude-haiku-4-5: 21 input tokens × $1/M = 21 µ$ at least (output so far on top).
        #expect((interrupted.cost ?? .zero) >= Money(microdollars: 21))
        #expect(rows.contains { $0.provider == .gemini && $0.outcome == "abandoned" })

        let file = try Data(contentsOf: URL(fileURLWithPath: path))
        for secret in [testOpenAIKey, testAnthropicKey, "secret prompt"] {
            #expect(file.range(of: Data(secret.utf8)) == nil)
        }
    }

    @Test func sha256FingerprintsMatchKnownDigests() {
        // SHA-256("abc") = ba7816bf8f01cfea…; SHA-256("") = e3b0c44298fc1c14…
        #expect(Fingerprint.of("abc") == "ba7816bf8f01")
        #expect(Fingerprint.of("") == "e3b0c44298fc")
        #expect(Fingerprint.of(String(repeating: "a", count: 1000)) == "41edece42d63")
    }

    /// Ledgers written by earlier versions group by the same prompt fingerprints.
    @Test func promptFingerprintsHashRolesTextsAndToolsInTheirFixedLayout() {
        var request = ChatRequest(messages: [
            .system("Be brief."), ChatMessage(role: .user, content: [.text("Héllo, "), .text("world")]),
        ])
        request.tools = [ToolDefinition(name: "lookup", description: "Finds", parameters: ["type": "object"])]
        let layout = "system\u{1F}Be brief.\u{1E}user\u{1F}Héllo, world\u{1E}tool\u{1F}lookup\u{1E}"
        #expect(Fingerprint.ofPrompt(request) == Fingerprint.of(layout))
        #expect(Fingerprint.ofPrompt(ChatRequest(messages: [])) == Fingerprint.of(""))
    }
}

/// Rows submitted one at a time with a write delay share one transaction; flush and a full batch do not wait.
@Suite(.timeLimit(.minutes(1))) struct UsageLedgerWriteDelayTests {
    actor BatchLog: UsageStore {
        var batches: [[String]] = []
        func append(_ records: [UsageRecord]) { batches.append(records.map(\.requestID)) }
        func records(since: Date?, until: Date?) -> [UsageRecord] { [] }
    }

    func record(_ index: Int) -> UsageRecord {
        UsageLedgerTests().record(index)
    }

    @Test func rowsArrivingWithinTheDelayAreWrittenTogetherOnceItPasses() async throws {
        let clock = ManualClock()
        let store = BatchLog()
        let ledger = UsageLedger(
            store: store, writeDelay: .milliseconds(100), clock: PolicyClock(clock), logger: Logger(label: "test"))
        ledger.submit([record(0)])
        await clock.waitForSleepers()
        ledger.submit([record(1)])
        ledger.submit([record(2)])
        #expect(await store.batches.isEmpty)

        clock.advance(by: .milliseconds(100))
        await ledger.shutdown()
        #expect(await store.batches == [["req-0", "req-1", "req-2"]])
    }

    @Test func flushWritesAtOnceWithoutWaitingForTheDelay() async throws {
        let clock = ManualClock()
        let store = BatchLog()
        let ledger = UsageLedger(
            store: store, writeDelay: .seconds(60), clock: PolicyClock(clock), logger: Logger(label: "test"))
        ledger.submit([record(0)])
        await clock.waitForSleepers()
        await ledger.flush()
        #expect(await store.batches == [["req-0"]])
        await ledger.shutdown()
    }

    @Test func aFullBatchIsWrittenWithoutWaitingForTheDelay() async throws {
        let clock = ManualClock()
        let store = BatchLog()
        let ledger = UsageLedger(
            store: store, batchSize: 3, writeDelay: .seconds(60), clock: PolicyClock(clock),
            logger: Logger(label: "test"))
        ledger.submit([record(0)])
        await clock.waitForSleepers()
        ledger.submit([record(1), record(2)])
        while await store.batches.isEmpty { await Task.yield() }
        #expect(await store.batches == [["req-0", "req-1", "req-2"]])
        await ledger.shutdown()
    }
}
