import Logging
import Switchboard
import SwitchboardTesting
import Synchronization

/// The demo's rate-limit step: a burst held to a requests-per-minute limit in virtual time, and a
/// critical request overtaking queued background work — on a client of its own with a limiter.
struct DemoRateLimitStep {
    let simulator: ProviderSimulator
    let output: TerminalOutput
    let logger: Logger

    func run(number: Int) async throws {
        output.write("\n" + output.bold(output.cyan("\(number). Rate limits and priorities")) + "\n")
        output.write(
            output.dim("   rate_limits: { openai: { requests_per_minute: 60, burst: 5, max_concurrent: 1 } }") + "\n")
        try await withDemoTransport { transport in try await tour(transport: transport) }
    }

    private func tour(transport: HTTPTransport) async throws {
        let clock = ManualClock()
        let limiter = RateLimiter(
            configuration: RateLimitConfiguration(providers: [
                .openAI: .init(limits: RateLimits(requestsPerMinute: 60, maxConcurrent: 1, requestBurst: 5))
            ]),
            clock: PolicyClock(clock))
        let provider = OpenAIProvider(
            configuration: try OpenAIConfiguration(
                apiKey: APIKey("sk-demo-key-not-real"), baseURL: simulator.baseURL(for: .openAI)),
            transport: transport)
        let client = LLMClient(providers: [provider], logger: logger, rateLimiter: limiter)
        let key = RateLimitedProvider(base: provider, limiter: limiter).key(for: ChatRequest(messages: []))
        try await burst(client: client, clock: clock, key: key)
        clock.advance(by: .seconds(60))  // the bucket is full again
        try await priorities(client: client, limiter: limiter, key: key)
    }

    /// Eight requests at once against 60 per minute with a burst of 5.
    private func burst(client: LLMClient, clock: ManualClock, key: RateLimitKey) async throws {
        let sent = SharedList<Duration>()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<8 {
                group.addTask {
                    _ = try await client.chat(ChatRequest(messages: [.user("burst \(index)")]))
                    sent.append(clock.now.offset)
                }
            }
            await waitUntil { sent.values.count >= 5 }
            var second = 0
            while sent.values.count < 8 {
                await clock.waitForSleepers(1)
                second += 1
                clock.advance(by: .seconds(1))
                await waitUntil { sent.values.count >= min(8, 5 + second) }
            }
            try await group.waitForAll()
        }
        let times = sent.values
        line("8 requests at once", "\(times.filter { $0 == .zero }.count) sent at 0 s", "the burst")
        for time in times.filter({ $0 > .zero }).sorted() {
            line("", "1 sent at \(time.components.seconds) s", "one per second after it (virtual time)")
        }
    }

    /// The slot busy, two background requests queued, then a critical one (4 requests: within the refilled burst).
    private func priorities(client: LLMClient, limiter: RateLimiter, key: RateLimitKey) async throws {
        let sentBefore = simulator.requests(for: .openAI).count
        let queued: [(String, RequestPriority)] = [
            ("background 1", .background), ("background 2", .background), ("critical", .critical),
        ]
        let gate = SimulatorGate()
        // A slow request holds the only concurrency slot until the gate opens.
        simulator.enqueue(SimulatedReply.text("busy").with(.holdAfterEvents(0, gate)), for: .openAI)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { _ = try await client.chat(ChatRequest(messages: [.user("busy")])) }
            await waitUntil { simulator.requests(for: .openAI).count > sentBefore }
            for (index, (label, priority)) in queued.enumerated() {
                group.addTask {
                    _ = try await client.chat(
                        ChatRequest(messages: [.user(label)], metadata: RequestMetadata(priority: priority)))
                }
                await waitUntil { limiter.queueDepth(for: key) == index + 1 }
            }
            line("slot busy, 3 waiting", "queued", "2 background, then 1 critical")
            gate.open()
            try await group.waitForAll()
        }
        // The order the provider received them in.
        let labels = queued.map(\.0)
        let received = simulator.requests(for: .openAI).dropFirst(sentBefore + 1).compactMap { request in
            labels.first { request.bodyText.contains("\"\($0)\"") }
        }
        line("the slot frees up", "→ \(received.first ?? "")", "sent in order: " + received.joined(separator: ", "))
    }

    /// Yields until `condition` holds (the client's tasks run meanwhile).
    private func waitUntil(_ condition: () -> Bool) async {
        while !condition() { await Task.yield() }
    }

    private func line(_ what: String, _ result: String, _ detail: String) {
        output.write(
            "   " + what.padding(toLength: 26, withPad: " ", startingAt: 0)
                + output.green(result.padding(toLength: 16, withPad: " ", startingAt: 0))
                + output.dim(detail) + "\n")
    }
}

/// Values appended by concurrent tasks.
private final class SharedList<Value: Sendable>: Sendable {
    private let storage = Mutex<[Value]>([])

    func append(_ value: Value) { storage.withLock { $0.append(value) } }
    var values: [Value] { storage.withLock { $0 } }
}
