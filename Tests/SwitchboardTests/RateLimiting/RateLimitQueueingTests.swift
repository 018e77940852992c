import Switchboard
import SwitchboardTesting
import Testing

/// The queue in front of a limited resource: priorities, fairness, deadlines, the bound, cancellation.
@Suite(.timeLimit(.minutes(2))) struct RateLimitQueueingTests {
    /// Queues one waiter per priority, in the order given, each appending its label when admitted and
    /// releasing at once.
    private func enqueue(
        _ waiters: [(String, RequestPriority)], harness: LimiterHarness, order: Recorder<String>
    ) async -> [Task<Void, any Error>] {
        var tasks: [Task<Void, any Error>] = []
        for (index, (label, priority)) in waiters.enumerated() {
            tasks.append(
                Task {
                    let permit = try await harness.limiter.acquire(
                        RateLimitDemand(), for: openAIKey, priority: priority)
                    order.append(label)
                    try await harness.limiter.release(permit)
                })
            await harness.waitForQueue(openAIKey, depth: index + 1)
        }
        return tasks
    }

    @Test func criticalGoesFirstThenByPriorityThenInArrivalOrder() async throws {
        let harness = LimiterHarness(.openAI(RateLimits(maxConcurrent: 1)))
        let holder = try await harness.limiter.acquire(RateLimitDemand(), for: openAIKey)
        let order = Recorder<String>()
        let tasks = await enqueue(
            [
                ("background", .background), ("low", .low), ("normal 1", .normal), ("high", .high),
                ("normal 2", .normal), ("critical", .critical),
            ], harness: harness, order: order)
        try await harness.limiter.release(holder)
        for task in tasks { try await task.value }
        #expect(order.all == ["critical", "high", "normal 1", "normal 2", "low", "background"])
    }

    @Test func backgroundWorkProgressesWhenCapacityFreesAndNoHigherWaits() async throws {
        let harness = LimiterHarness(.openAI(RateLimits(requestsPerMinute: 60, requestBurst: 1)))
        _ = try await harness.limiter.acquire(RateLimitDemand(), for: openAIKey)
        let order = Recorder<String>()
        let background = await enqueue([("background", .background)], harness: harness, order: order)
        // Critical work keeps arriving while the background request waits; each overtakes it.
        for second in 1...3 {
            let critical = Task {
                _ = try await harness.limiter.acquire(RateLimitDemand(), for: openAIKey, priority: .critical)
                order.append("critical \(second)")
            }
            await harness.waitForQueue(openAIKey, depth: 2)
            await harness.waitForTimer(at: .seconds(second))
            harness.clock.advance(by: .seconds(1))
            try await critical.value
        }
        // No critical request waits any more: the next free request goes to the background one.
        await harness.waitForTimer(at: .seconds(4))
        harness.clock.advance(by: .seconds(1))
        try await background[0].value
        #expect(order.all == ["critical 1", "critical 2", "critical 3", "background"])
    }

    @Test func waitingPastTheDeadlineFailsWithQueueTimeout() async throws {
        let harness = LimiterHarness(.openAI(RateLimits(maxConcurrent: 1)))
        let limiter = harness.limiter
        _ = try await limiter.acquire(RateLimitDemand(), for: openAIKey)
        let waiting = Task { try await limiter.acquire(RateLimitDemand(), for: openAIKey, maxWait: .seconds(5)) }
        await harness.waitForTimer(at: .seconds(5))
        harness.clock.advance(by: .seconds(5))
        let error = await #expect(throws: ProviderError.self) { try await waiting.value }
        #expect(error?.kind == .queueTimeout)
        #expect(error?.provider == .openAI)
        #expect(error?.message.contains("waited 5s") == true)
        #expect(error?.message.contains("concurrent requests") == true)
        #expect(limiter.queueDepth(for: openAIKey) == 0)
    }

    @Test func configuredQueueWaitAppliesWhenTheRequestSetsNone() async throws {
        var configuration = RateLimitConfiguration.openAI(RateLimits(maxConcurrent: 1))
        configuration.maxQueueWait = .seconds(2)
        let harness = LimiterHarness(configuration)
        let request = ChatRequest(messages: [.user("hi")], model: "gpt-4o")
        _ = try await harness.limiter.acquire(for: request, key: openAIKey)
        let waiting = Task { try await harness.limiter.acquire(for: request, key: openAIKey) }
        await harness.waitForTimer(at: .seconds(2))
        harness.clock.advance(by: .seconds(2))
        await #expect(throws: ProviderError.self) { try await waiting.value }
        // The request's own deadline wins over the configured one.
        var patient = request
        patient.metadata.maxQueueWait = .seconds(10)
        let second = Task { try await harness.limiter.acquire(for: patient, key: openAIKey) }
        await harness.waitForTimer(at: .seconds(12))
        harness.clock.advance(by: .seconds(9))
        #expect(harness.limiter.queueDepth(for: openAIKey) == 1)
        second.cancel()
        await #expect(throws: CancellationError.self) { try await second.value }
    }

    @Test func fullQueueRejectsWhatWouldBeServedLastAndDisplacesForHigherPriority() async throws {
        let harness = LimiterHarness(.openAI(RateLimits(maxConcurrent: 1), maxQueue: 2))
        let limiter = harness.limiter
        let holder = try await limiter.acquire(RateLimitDemand(), for: openAIKey)
        let order = Recorder<String>()
        let queued = await enqueue([("normal A", .normal), ("normal B", .normal)], harness: harness, order: order)

        for priority in [RequestPriority.low, .normal] {
            let error = await #expect(throws: ProviderError.self) {
                _ = try await limiter.acquire(RateLimitDemand(), for: openAIKey, priority: priority)
            }
            #expect(error?.kind == .overloaded)
            #expect(error?.status == nil)
            #expect(error?.isRetryable == false)
            #expect(error?.message.contains("local rate-limit queue") == true)
        }
        #expect(limiter.queueDepth(for: openAIKey) == 2)

        let high = Task {
            let permit = try await limiter.acquire(RateLimitDemand(), for: openAIKey, priority: .high)
            order.append("high")
            try await limiter.release(permit)
        }
        // B, the last in line, leaves with a typed error rather than silently.
        let displaced = await #expect(throws: ProviderError.self) { try await queued[1].value }
        #expect(displaced?.kind == .overloaded)
        #expect(limiter.queueDepth(for: openAIKey) == 2)

        try await limiter.release(holder)
        try await high.value
        try await queued[0].value
        #expect(order.all == ["high", "normal A"])
    }

    @Test func cancellingAWaiterTakesItOutOfTheQueue() async throws {
        let harness = LimiterHarness(.openAI(RateLimits(maxConcurrent: 1)))
        let limiter = harness.limiter
        let holder = try await limiter.acquire(RateLimitDemand(), for: openAIKey)
        let waiting = Task { try await limiter.acquire(RateLimitDemand(), for: openAIKey, priority: .critical) }
        await harness.waitForQueue(openAIKey, depth: 1)
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
        #expect(limiter.queueDepth(for: openAIKey) == 0)
        // The slot goes to the next request, not to the cancelled one.
        try await limiter.release(holder)
        let next = try await limiter.acquire(RateLimitDemand(), for: openAIKey)
        #expect(next.waited == .zero)
        #expect(try await limiter.statuses().first { $0.key == openAIKey }?.inFlight == 1)
    }
}
