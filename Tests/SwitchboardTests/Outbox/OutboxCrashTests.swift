import Foundation
import Switchboard
import SwitchboardTesting
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `switchboard outbox sync` killed (SIGKILL) in the middle of a sync and started again: the simulator's
/// log shows every entry completed exactly once.
@Suite(.serialized, .timeLimit(.minutes(3))) struct OutboxCrashTests {
    @Test func aSyncKilledMidwayIsResumedAndEachEntryCompletesExactlyOnce() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await ProviderSimulator.withSimulator { simulator in
            let config = try directory.write(
                "switchboard.yaml",
                """
                data_directory: \(directory.path)/data
                providers:
                  openai:
                    api_key: ${OPENAI_API_KEY}
                    base_url: \(simulator.baseURL(for: .openAI))
                    local: false
                """)
            let store = try SQLiteOutboxStore(path: directory.path + "/data/outbox.sqlite")
            // Queued in this order; sent by priority, then age: e2, e5, e1, e3, e4.
            let queued: [(String, RequestPriority)] = [
                ("entry 1", .normal), ("entry 2", .high), ("entry 3", .normal), ("entry 4", .low), ("entry 5", .high),
            ]
            let start = Date()
            for (index, (prompt, priority)) in queued.enumerated() {
                var request = ChatRequest(messages: [.user(prompt)], provider: .openAI)
                request.metadata.priority = priority
                request.metadata.deferrable = true
                _ = try await store.insert(request, priority: priority, at: start.addingTimeInterval(Double(index)))
            }
            let order = ["entry 2", "entry 5", "entry 1", "entry 3", "entry 4"]
            // The third send (entry 1) gets its response head, then waits at the gate: the kill lands there.
            let gate = SimulatorGate()
            simulator.enqueue(.text("answer"), for: .openAI)
            simulator.enqueue(.text("answer"), for: .openAI)
            simulator.enqueue(SimulatedReply.text("never delivered").with(.holdAfterEvents(0, gate)), for: .openAI)
            let environment = ["SWITCHBOARD_CONFIG": config, "OPENAI_API_KEY": testOpenAIKey]

            let first = try CLIProcess(["outbox", "sync"], environment: environment)
            let (held, killed) = await Self.killWhenHeld(first, gate: gate)
            try #require(held, "the sync ended before the gate: \(killed.stderr)")
            #expect(killed.status == SIGKILL)

            let afterCrash = Dictionary(
                uniqueKeysWithValues: try await store.entries().map { ($0.request.messages[0].text, $0) })
            #expect(afterCrash["entry 2"]?.state == .completed)
            #expect(afterCrash["entry 5"]?.state == .completed)
            #expect(afterCrash["entry 1"]?.state == .inFlight)
            #expect(afterCrash["entry 3"]?.state == .pending)
            #expect(afterCrash["entry 4"]?.state == .pending)

            let second = try await CLIProcess.run(["outbox", "sync"], environment: environment)
            #expect(second.status == 0, "stderr: \(second.stderr)")
            #expect(second.stdout.contains("#1 was in flight when a sync stopped; sent again"))
            #expect(second.stdout.contains("3 completed, 0 to retry, 0 failed, 0 waiting"))

            let completed = Self.chatPrompts(simulator.completedRequests(for: .openAI))
            #expect(completed == order)
            let received = Self.chatPrompts(simulator.requests(for: .openAI))
            #expect(received == ["entry 2", "entry 5", "entry 1", "entry 1", "entry 3", "entry 4"])
            #expect(simulator.clientDisconnects == 1)

            for entry in try await store.entries() {
                #expect(entry.state == .completed)
                #expect(entry.attempts == (entry.request.messages[0].text == "entry 1" ? 2 : 1))
            }
            // A third sync finds nothing to send.
            let third = try await CLIProcess.run(["outbox", "sync"], environment: environment)
            #expect(third.stdout.contains("0 completed, 0 to retry, 0 failed, 0 waiting"))
            #expect(Self.chatPrompts(simulator.requests(for: .openAI)).count == 6)
        }
    }

    /// Waits until a response is held at `gate`, then kills `process`; returns whether the hold came
    /// first, and what the process printed.
    static func killWhenHeld(_ process: CLIProcess, gate: SimulatorGate) async -> (Bool, CLIProcess.Result) {
        await withTaskGroup(of: CLIProcess.Result?.self) { group in
            group.addTask {
                await gate.waitUntilHolding(1)
                return nil
            }
            group.addTask { await process.finish() }
            let first = await group.next() ?? nil
            if first == nil {
                kill(process.process.processIdentifier, SIGKILL)
            } else {
                gate.open()
            }
            let second = await group.next() ?? nil
            return (first == nil, (first ?? second)!)
        }
    }

    /// The user prompts of the chat-completion requests among `requests`, in order.
    static func chatPrompts(_ requests: [RecordedRequest]) -> [String] {
        requests.filter { $0.pathWithoutQuery.hasSuffix("/chat/completions") }.compactMap { request in
            guard case .array(let messages)? = request.json?["messages"] else { return nil }
            return messages.last?["content"]?.stringValue
        }
    }
}
