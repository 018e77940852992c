import Foundation
import Switchboard
import SwitchboardTesting
import Synchronization
import Testing

/// ``LocalModelManager`` over real HTTP against the simulated Ollama.
@Suite struct LocalModelManagerTests {
    static let qwen = "qwen2.5:0.5b"

    // MARK: ensure

    @Test func tenConcurrentEnsuresOfAMissingModelPullItOnce() async throws {
        try await withLocalModelManager { manager, simulator in
            simulator.setPullFaults([.eventInterval(.milliseconds(10))])
            let installedWhenReturned = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<10 {
                    group.addTask {
                        try await manager.ensure(models: [Self.qwen])
                        return simulator.localModels.contains { $0.name == Self.qwen }
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(installedWhenReturned == Array(repeating: true, count: 10))
            #expect(simulator.pullCount(for: Self.qwen) == 1)
            // Installed now: asking again pulls nothing.
            try await manager.ensure(models: [Self.qwen])
            #expect(simulator.pullCount(for: Self.qwen) == 1)
        }
    }

    @Test func ensureOfInstalledModelsPullsNothing() async throws {
        try await withLocalModelManager(policy: LocalModelPolicy(requiredModels: ["llama3.2", "llava:latest"])) {
            manager, simulator in
            try await manager.ensure(models: ["llama3.2", "llama3.2:latest", "nomic-embed-text"])
            try await manager.ensureRequired()
            for name in ["llama3.2", "llava", "nomic-embed-text"] { #expect(simulator.pullCount(for: name) == 0) }
        }
    }

    @Test func aFailedPullFailsEveryWaiter() async throws {
        try await withLocalModelManager { manager, simulator in
            simulator.setPullFaults([.eventInterval(.milliseconds(20))])
            let errors = await withTaskGroup(of: (any Error)?.self) { group in
                for _ in 0..<10 {
                    group.addTask {
                        do {
                            try await manager.ensure(models: ["no-such-model"])
                            return nil
                        } catch {
                            return error
                        }
                    }
                }
                return await group.reduce(into: [(any Error)?]()) { $0.append($1) }
            }
            #expect(errors.count == 10)
            for error in errors {
                let providerError = try #require(error as? ProviderError)
                #expect(providerError.kind == .notFound)
                #expect(providerError.message.contains("file does not exist"))
            }
            #expect(simulator.pullCount(for: "no-such-model") == 1)
        }
    }

    // MARK: pull

    @Test func pullProgressFoldsLayersIntoOneMonotonicFigure() async throws {
        try await withLocalModelManager { manager, simulator in
            var seen: [LocalModelPullProgress] = []
            for try await progress in try await manager.pull(Self.qwen) { seen.append(progress) }
            let last = try #require(seen.last)
            #expect(last.isComplete)
            #expect(last.fraction == 1)
            #expect(last.layers == 3)
            #expect(last.totalBytes == 397_821_319)
            #expect(last.completedBytes == last.totalBytes)
            #expect(Set(seen.map(\.status)).filter { $0.hasPrefix("pulling ") && $0 != "pulling manifest" }.count == 3)
            for (previous, next) in zip(seen, seen.dropFirst()) {
                #expect(next.completedBytes >= previous.completedBytes)
                #expect(next.fraction >= previous.fraction)
                #expect(next.totalBytes >= previous.totalBytes)
            }
            // Intermediate figures exist (the bar moves), not only 0 and 1.
            #expect(seen.contains { $0.fraction > 0 && $0.fraction < 1 })
            #expect(simulator.localModels.contains { $0.name == Self.qwen })
        }
    }

    @Test func foldingKeepsTheFractionFromGoingBackWhenALayerAppears() {
        var folder = LocalModelPullProgressFolder(model: "m")
        _ = folder.add(OllamaPullProgress(status: "pulling manifest"))
        let first = folder.add(OllamaPullProgress(status: "pulling a", digest: "sha256:a", total: 100, completed: 100))
        #expect(first.fraction == 1)
        let second = folder.add(OllamaPullProgress(status: "pulling b", digest: "sha256:b", total: 100))
        #expect(second.fraction == 1)
        #expect(second.totalBytes == 200)
        #expect(second.completedBytes == 100)
        let done = folder.add(OllamaPullProgress(status: "success"))
        #expect(done.completedBytes == 200)
        #expect(done.isComplete)
    }

    @Test func cancellingAPullClosesTheConnection() async throws {
        try await withLocalModelManager { manager, simulator in
            let gate = SimulatorGate()
            simulator.setPullFaults([.holdAfterEvents(3, gate)])
            let (firstProgress, signal) = AsyncStream.makeStream(of: LocalModelPullProgress.self)
            let task = Task {
                for try await progress in try await manager.pull(Self.qwen) { signal.yield(progress) }
            }
            var iterator = firstProgress.makeAsyncIterator()
            _ = await iterator.next()
            task.cancel()
            await simulator.waitForClientDisconnects(1)
            #expect(simulator.clientDisconnects == 1)
            let result = await task.result
            #expect(throws: (any Error).self) { try result.get() }
            gate.open()
            #expect(!simulator.localModels.contains { $0.name == Self.qwen })
        }
    }

    // MARK: prune

    static let day: TimeInterval = 86_400
    static let epoch = Date(timeIntervalSince1970: 1_760_000_000)

    static func pruneModels() -> [SimulatedLocalModel] {
        [
            SimulatedLocalModel(name: "llama3.2", size: 2_000_000_000, modifiedAt: epoch),
            SimulatedLocalModel(name: "alpha", size: 1_000_000_000, modifiedAt: epoch + 1 * day),
            SimulatedLocalModel(name: "beta", size: 1_000_000_000, modifiedAt: epoch + 2 * day),
            SimulatedLocalModel(name: "gamma", size: 1_000_000_000, modifiedAt: epoch - 5 * day),
        ]
    }

    @Test func pruneRemovesTheLeastRecentlyUsedModelsOverQuotaButNeverARequiredOne() async throws {
        let now = TestNow(Self.epoch + 10 * Self.day)
        let policy = LocalModelPolicy(requiredModels: ["llama3.2"], storageQuota: 3_500_000_000)
        try await withLocalModelManager(policy: policy, now: now.closure) { manager, simulator in
            simulator.setLocalModels(Self.pruneModels())
            // gamma is the oldest on disk but was used just now; llama3.2 is older still but required.
            await manager.recordUse(of: "gamma")

            let plan = try await manager.prune(dryRun: true)
            #expect(plan.removals.map(\.model) == ["alpha:latest", "beta:latest"])
            #expect(plan.totalBefore == 5_000_000_000)
            #expect(plan.totalAfter == 3_000_000_000)
            #expect(plan.meetsQuota)
            #expect(!plan.removals.contains { $0.isRequired })
            #expect(simulator.localModels.count == 4)

            let done = try await manager.prune(dryRun: false)
            #expect(done == plan)
            #expect(simulator.localModels.map(\.name) == ["llama3.2:latest", "gamma:latest"])
            #expect(try await manager.prunePlan().removals.isEmpty)
        }
    }

    @Test func pruneNeverTouchesRequiredModelsEvenWhenTheyAloneExceedTheQuota() async throws {
        let policy = LocalModelPolicy(requiredModels: ["llama3.2", "alpha"], storageQuota: 1_000_000_000)
        try await withLocalModelManager(policy: policy) { manager, simulator in
            simulator.setLocalModels(Self.pruneModels())
            let plan = try await manager.prunePlan()
            #expect(Set(plan.removals.map(\.model)) == ["beta:latest", "gamma:latest"])
            #expect(!plan.meetsQuota)
            #expect(plan.totalAfter == 3_000_000_000)
        }
    }

    @Test func pruneWithoutQuotaPlansNothing() async throws {
        try await withLocalModelManager { manager, simulator in
            simulator.setLocalModels(Self.pruneModels())
            let plan = try await manager.prunePlan()
            #expect(plan.removals.isEmpty)
            #expect(plan.quota == nil)
            let storage = try await manager.storage()
            #expect(storage.totalSize == 5_000_000_000)
            #expect(storage.models.first?.model == "llama3.2:latest")
        }
    }

    // MARK: update

    @Test func updateReportsWhetherTheDigestChanged() async throws {
        try await withLocalModelManager { manager, simulator in
            simulator.setLocalModels([
                SimulatedLocalModel(name: "llama3.2", size: 2_000_000, digest: testDigest("a")),
                SimulatedLocalModel(name: "llava", size: 3_000_000, digest: testDigest("c")),
            ])
            simulator.setUpstreamModels([
                SimulatedLocalModel(name: "llama3.2", size: 2_100_000, digest: testDigest("b")),
                SimulatedLocalModel(name: "llava", size: 3_000_000, digest: testDigest("c")),
            ])
            let first = try await manager.update("llama3.2")
            #expect(
                first == [
                    LocalModelUpdate(
                        model: "llama3.2:latest", previousDigest: testDigest("a"), currentDigest: testDigest("b"))
                ])
            #expect(first.first?.changed == true)

            let all = try await manager.update(nil)
            #expect(all.map(\.model) == ["llama3.2:latest", "llava:latest"])
            #expect(all.map(\.changed) == [false, false])
            #expect(simulator.pullCount(for: "llama3.2") == 2)
            #expect(simulator.pullCount(for: "llava") == 1)
        }
    }

    @Test func scheduledUpdatesFollowTheInjectedClock() async throws {
        let policy = LocalModelPolicy(updateInterval: .seconds(3600))
        try await withLocalModelManager(policy: policy) { manager, simulator in
            simulator.setLocalModels([SimulatedLocalModel(name: "llama3.2", size: 2_000_000, digest: testDigest("a"))])
            simulator.setUpstreamModels([
                SimulatedLocalModel(name: "llama3.2", size: 2_000_000, digest: testDigest("b"))
            ])
            let clock = ManualClock()
            let (results, continuation) = AsyncStream.makeStream(of: [LocalModelUpdate].self)
            let scheduler = LocalModelUpdateScheduler(manager: manager, clock: clock) { continuation.yield($0) }
            #expect(scheduler.interval == .seconds(3600))
            let task = Task { try await scheduler.run() }
            var updates = results.makeAsyncIterator()

            await clock.waitForSleepers(1)
            #expect(clock.sleeperDeadlines == [ManualClock.Instant(offset: .seconds(3600))])
            clock.advance(by: .seconds(1800))
            #expect(clock.sleeperDeadlines.count == 1)  // still asleep: half an interval is not enough
            #expect(simulator.pullCount(for: "llama3.2") == 0)

            clock.advance(by: .seconds(1800))
            let first = await updates.next()
            #expect(first?.map(\.changed) == [true])

            await clock.waitForSleepers(1)
            #expect(clock.sleeperDeadlines == [ManualClock.Instant(offset: .seconds(7200))])
            clock.advance(by: .seconds(3600))
            let second = await updates.next()
            #expect(second?.map(\.changed) == [false])
            #expect(simulator.pullCount(for: "llama3.2") == 2)

            await clock.waitForSleepers(1)
            task.cancel()
            await #expect(throws: CancellationError.self) { try await task.value }
        }
    }

    @Test func noIntervalMeansNoSchedule() async throws {
        try await withLocalModelManager { manager, _ in
            let scheduler = LocalModelUpdateScheduler(manager: manager, clock: ManualClock())
            try await scheduler.run()  // returns at once
        }
    }

    // MARK: memory

    @Test(arguments: [
        LocalModelPolicy(maxLoadedModels: 1), LocalModelPolicy(maxLoadedMemory: 3_000_000_000),
    ])
    func memoryLimitsUnloadTheLeastRecentlyUsedLoadedModel(policy: LocalModelPolicy) async throws {
        let now = TestNow(Self.epoch)
        try await withLocalModelManager(policy: policy, now: now.closure) { manager, simulator in
            let transport = HTTPTransport()
            let ollama = OllamaProvider(
                configuration: try OllamaConfiguration(host: simulator.baseURL(for: .ollama)), transport: transport)
            // llama3.2 (2.0 GB) is loaded first but used last; llava (4.7 GB) is the least recently used.
            _ = try await ollama.complete(
                ChatRequest(messages: [.user("hi")], model: "llama3.2"), logger: manager.logger)
            _ = try await ollama.complete(ChatRequest(messages: [.user("hi")], model: "llava"), logger: manager.logger)
            await manager.recordUse(of: "llava")
            now.advance(by: 60)
            await manager.recordUse(of: "llama3.2")
            #expect(simulator.loadedModels == ["llama3.2:latest", "llava:latest"])

            let unloaded = try await manager.enforceMemoryLimits()
            #expect(unloaded == ["llava:latest"])
            #expect(simulator.loadedModels == ["llama3.2:latest"])
            #expect(try await manager.enforceMemoryLimits().isEmpty)
            try await transport.shutdown()
        }
    }

    // MARK: selection

    @Test func selectionPrefersTheSmallestModelThatFits() async throws {
        try await withLocalModelManager { manager, simulator in
            var models = simulator.localModels
            models.append(
                SimulatedLocalModel(
                    name: Self.qwen, size: 397_821_319, family: "qwen2", capabilities: ["completion", "tools"],
                    contextLength: 32_768))
            simulator.setLocalModels(models)

            func pick(_ requirement: LocalModelRequirement) async throws -> String? {
                try await manager.selectModel(for: requirement)?.name
            }
            #expect(try await pick(LocalModelRequirement()) == Self.qwen)
            #expect(try await pick(LocalModelRequirement(capabilities: [.completion, .tools])) == Self.qwen)
            #expect(
                try await pick(LocalModelRequirement(capabilities: [.tools], minimumContextLength: 100_000))
                    == "llama3.2:latest")
            #expect(try await pick(LocalModelRequirement(capabilities: [.vision])) == "llava:latest")
            #expect(try await pick(LocalModelRequirement(capabilities: [.embedding])) == "nomic-embed-text:latest")
            #expect(try await pick(LocalModelRequirement(capabilities: [.vision], maximumSize: 1_000_000_000)) == nil)
            #expect(try await pick(LocalModelRequirement(minimumContextLength: 1_000_000)) == nil)
            let chosen = try await manager.selectModel(for: LocalModelRequirement(capabilities: [.vision]))
            #expect(chosen?.capabilities == ["completion", "vision"])
        }
    }

    // MARK: usage

    @Test func lastUseRoundTripsThroughTheFileStore() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = FileLocalModelUsageStore(dataDirectory: directory.path + "/data")
        #expect(store.path == directory.path + "/data/local-models.json")
        let used = Date(timeIntervalSince1970: 1_760_000_123)
        try await withLocalModelManager(store: store, now: { used }) { manager, _ in
            await manager.recordUse(
                of: "llama3.2",
                performance: GenerationPerformance(
                    loadTime: .milliseconds(500), generationTime: .seconds(2), generatedTokens: 100))
            await manager.recordUse(
                of: "llama3.2:latest",
                performance: GenerationPerformance(
                    loadTime: .milliseconds(100), generationTime: .seconds(1), generatedTokens: 100))
            let performance = try #require(await manager.performance(of: "llama3.2"))
            #expect(performance.samples == 2)
            #expect(performance.averageGenerationTokensPerSecond == 75)
            #expect(performance.averageLoadTime == .milliseconds(300))
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: store.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

        let reopened = FileLocalModelUsageStore(path: store.path)
        #expect(try await reopened.load() == ["llama3.2:latest": LocalModelUsage(lastUsed: used, requests: 2)])
        try await withLocalModelManager(store: reopened) { manager, _ in
            #expect(await manager.lastUse(of: "llama3.2") == used)
            #expect(await manager.performance(of: "llama3.2") == nil)  // speed is kept in memory only
        }
    }

    @Test func removingAModelForgetsItsUsage() async throws {
        let store = InMemoryLocalModelUsageStore()
        try await withLocalModelManager(store: store) { manager, simulator in
            await manager.recordUse(of: "llava")
            try await manager.remove("llava")
            #expect(try await store.load().isEmpty)
            #expect(!simulator.localModels.contains { $0.name == "llava:latest" })
            await #expect(throws: ProviderError.self) { try await manager.remove("llava") }
        }
    }
}
