import Foundation
import Logging

/// Manages the models of one Ollama server under a ``LocalModelPolicy``: what is installed and
/// loaded, downloads (single-flight per model), updates, disk quota, memory limits, usage and speed,
/// and which installed model fits a task.
///
/// ```swift
/// let manager = LocalModelManager(
///     api: ollama.modelAPI, policy: LocalModelPolicy(requiredModels: ["llama3.2"], storageQuota: 20_000_000_000),
///     store: FileLocalModelUsageStore(dataDirectory: configuration.dataDirectory), logger: logger)
/// try await manager.ensureRequired()                 // pulls what is missing, once
/// for try await progress in try await manager.pull("qwen2.5:0.5b") { print(progress.fraction) }
/// let plan = try await manager.prunePlan()           // least recently used first, never a required model
/// ```
///
/// Time comes from the injected `now` closure; the manager never reads the wall clock itself.
/// Usage (last use per model) is kept in memory and saved through a ``LocalModelUsageStore``.
public actor LocalModelManager {
    /// The server's model-management endpoints.
    public nonisolated let api: OllamaModelAPI
    /// The rules this manager enforces.
    public nonisolated let policy: LocalModelPolicy
    /// The logger every operation logs to.
    public nonisolated let logger: Logger
    private let store: any LocalModelUsageStore
    private let now: @Sendable () -> Date
    private let onUpdate: @Sendable ([LocalModelUpdate]) async -> Void

    private var usage: [String: LocalModelUsage]?
    private var performanceByModel: [String: LocalModelPerformance] = [:]
    private var detailsByDigest: [String: OllamaModelDetails] = [:]
    private var inFlight: [String: Task<Void, any Error>] = [:]
    private var finished: [String: (sequence: Int, result: Result<Void, any Error>)] = [:]
    private var completedPulls = 0
    private var requiredEnsured = false

    /// A manager for the server `api` talks to.
    ///
    /// - Parameters:
    ///   - store: where last use is kept between runs; in memory by default.
    ///   - now: the current time, for recording use; injected so policies are testable.
    ///   - onUpdate: called by ``update(_:)`` after each model it re-pulled, for example to drop cached
    ///     answers of models whose digest changed (``ResponseCache/modelsUpdated(_:provider:)``).
    public init(
        api: OllamaModelAPI, policy: LocalModelPolicy = .init(),
        store: any LocalModelUsageStore = InMemoryLocalModelUsageStore(), logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() },
        onUpdate: @escaping @Sendable ([LocalModelUpdate]) async -> Void = { _ in }
    ) {
        self.api = api
        self.policy = policy
        self.store = store
        self.logger = logger
        self.now = now
        self.onUpdate = onUpdate
    }

    // MARK: Catalog

    /// The installed models: size, family, parameters, quantisation, digest, modification time.
    public func installedModels() async throws -> [OllamaInstalledModel] {
        try await api.installedModels(logger: logger)
    }

    /// The models loaded in memory: memory, VRAM, expiry.
    public func loadedModels() async throws -> [OllamaLoadedModel] {
        try await api.loadedModels(logger: logger)
    }

    /// Details of one installed model: context length, capabilities. Throws `notFound` for an unknown model.
    public func details(of model: String) async throws -> OllamaModelDetails {
        try await api.details(of: model, logger: logger)
    }

    // MARK: Downloads

    /// Downloads `model`, yielding one overall progress figure per Ollama progress line.
    ///
    /// Not single-flight: every call is one `/api/pull` (use ``ensure(models:)`` to share). Cancelling
    /// the iterating task cancels the HTTP request; Ollama resumes the download on the next pull.
    public nonisolated func pull(_ model: String) async throws -> LocalModelPullStream {
        LocalModelPullStream(try await api.pull(model, logger: logger), model: model)
    }

    /// Installs every model in `models` that is not installed yet and returns once all are.
    ///
    /// Single-flight per model: concurrent callers asking for the same missing model share one
    /// download, wait for it, and all get its error when it fails. Installed models cause no download.
    /// A caller whose task is cancelled still waits for a download other callers share.
    public func ensure(models: [String]) async throws {
        var names: [String] = []
        for name in models.map(OllamaModelName.normalized) where !names.contains(name) { names.append(name) }
        guard !names.isEmpty else { return }
        let checkedAt = completedPulls
        let installed = Set(try await api.installedModels(logger: logger).map { OllamaModelName.normalized($0.name) })
        var downloads: [Task<Void, any Error>] = []
        var earlierFailure: (any Error)?
        for name in names where !installed.contains(name) {
            if let running = inFlight[name] {
                downloads.append(running)
            } else if let done = finished[name], done.sequence > checkedAt {
                // A download finished while the installed list was being read: share its outcome.
                if case .failure(let error) = done.result { earlierFailure = earlierFailure ?? error }
            } else {
                downloads.append(startDownload(name))
            }
        }
        for download in downloads { try await download.value }
        if let earlierFailure { throw earlierFailure }
    }

    /// Installs the policy's required models that are missing (``ensure(models:)``).
    public func ensureRequired() async throws {
        try await ensure(models: policy.requiredModels)
        requiredEnsured = true
    }

    /// ``ensureRequired()`` until it has succeeded once; then returns at once.
    public func ensureRequiredOnce() async throws {
        guard !requiredEnsured else { return }
        try await ensureRequired()
    }

    private func startDownload(_ name: String) -> Task<Void, any Error> {
        logger.info("pulling local model", metadata: ["model": "\(name)"])
        let api = self.api
        let logger = self.logger
        let task = Task<Void, any Error> {
            let result: Result<Void, any Error>
            do {
                try await LocalModelPullStream(try await api.pull(name, logger: logger), model: name).finish()
                result = .success(())
            } catch {
                result = .failure(error)
            }
            self.downloadFinished(name, result)
            try result.get()
        }
        inFlight[name] = task
        return task
    }

    private func downloadFinished(_ name: String, _ result: Result<Void, any Error>) {
        completedPulls += 1
        inFlight[name] = nil
        finished[name] = (completedPulls, result)
        if case .failure(let error) = result {
            logger.warning("pulling local model failed", metadata: ["model": "\(name)", "error": "\(error)"])
        }
    }

    /// Waits for a download of `name`, joining one that is running.
    private func download(_ name: String) async throws {
        try await (inFlight[name] ?? startDownload(name)).value
    }

    // MARK: Updates

    /// Re-pulls `model` (or every installed model when `nil`) and reports, per model, whether its
    /// digest changed.
    ///
    /// Ollama has no "is there a newer version" call. A re-pull fetches the registry's manifest and
    /// downloads only the layers that changed (nothing when the model is current); comparing the
    /// manifest digest before and after tells whether a new version arrived. Models are updated one
    /// after another; the first failure is thrown. A model that was not installed is installed
    /// (its ``LocalModelUpdate/previousDigest`` is `nil`).
    public func update(_ model: String? = nil) async throws -> [LocalModelUpdate] {
        let before = try await api.installedModels(logger: logger)
        let targets =
            model.map { [OllamaModelName.normalized($0)] } ?? before.map { OllamaModelName.normalized($0.name) }
        var updates: [LocalModelUpdate] = []
        for name in targets {
            let previous = before.first { OllamaModelName.same($0.name, name) }?.digest
            try await download(name)
            let after = try await api.installedModels(logger: logger)
            let current = after.first { OllamaModelName.same($0.name, name) }?.digest
            let update = LocalModelUpdate(model: name, previousDigest: previous, currentDigest: current)
            logger.info(
                "updated local model",
                metadata: ["model": "\(name)", "changed": "\(update.changed)", "digest": "\(current ?? "none")"])
            updates.append(update)
            await onUpdate([update])
        }
        return updates
    }

    // MARK: Storage

    /// Disk per installed model and in total, with each model's recency and whether it is required.
    public func storage() async throws -> LocalModelStorage {
        let installed = try await api.installedModels(logger: logger)
        let records = await loadUsage()
        let entries = installed.map { model in
            LocalModelStorage.Entry(
                model: model.name, size: model.size,
                lastUsed: records[OllamaModelName.normalized(model.name)]?.lastUsed ?? model.modifiedAt,
                isRequired: isRequired(model.name))
        }
        return LocalModelStorage(
            models: entries.sorted { ($0.size, $1.model) > ($1.size, $0.model) }, quota: policy.storageQuota)
    }

    /// The models to remove so the installed models fit the storage quota: the least recently used
    /// first (last use recorded by Switchboard, else Ollama's modification time), never a required
    /// model. Empty when there is no quota or the models fit.
    public func prunePlan() async throws -> LocalModelPrunePlan {
        let storage = try await storage()
        let total = storage.totalSize
        guard let quota = policy.storageQuota, total > quota else {
            return LocalModelPrunePlan(removals: [], totalBefore: total, quota: policy.storageQuota)
        }
        let candidates = storage.models.filter { !$0.isRequired }.sorted { lhs, rhs in
            let left = lhs.lastUsed ?? .distantPast
            let right = rhs.lastUsed ?? .distantPast
            return left != right ? left < right : lhs.model < rhs.model
        }
        var remaining = total
        var removals: [LocalModelStorage.Entry] = []
        for candidate in candidates where remaining > quota {
            removals.append(candidate)
            remaining -= candidate.size
        }
        return LocalModelPrunePlan(removals: removals, totalBefore: total, quota: quota)
    }

    /// Computes ``prunePlan()`` and, unless `dryRun`, removes its models; returns the plan.
    @discardableResult
    public func prune(dryRun: Bool) async throws -> LocalModelPrunePlan {
        let plan = try await prunePlan()
        guard !dryRun else { return plan }
        for entry in plan.removals { try await remove(entry.model) }
        return plan
    }

    /// Removes an installed model and forgets its usage. Throws `notFound` for an unknown model.
    public func remove(_ model: String) async throws {
        try await api.delete(model, logger: logger)
        logger.info("removed local model", metadata: ["model": "\(model)"])
        let name = OllamaModelName.normalized(model)
        performanceByModel[name] = nil
        var records = await loadUsage()
        if records.removeValue(forKey: name) != nil {
            usage = records
            await saveUsage()
        }
    }

    private func isRequired(_ model: String) -> Bool {
        policy.requiredModels.contains { OllamaModelName.same($0, model) }
    }

    // MARK: Usage and performance

    /// Records that Switchboard just used `model` (now, per the injected clock) and, when given, how
    /// fast it answered; saves the last use to the store.
    public func recordUse(of model: String, performance: GenerationPerformance? = nil) async {
        let name = OllamaModelName.normalized(model)
        if let performance { performanceByModel[name, default: LocalModelPerformance()].add(performance) }
        var records = await loadUsage()
        var record = records[name] ?? LocalModelUsage(lastUsed: now(), requests: 0)
        record.lastUsed = now()
        record.requests += 1
        records[name] = record
        usage = records
        await saveUsage()
    }

    /// When Switchboard last used `model`; `nil` when never.
    public func lastUse(of model: String) async -> Date? {
        await loadUsage()[OllamaModelName.normalized(model)]?.lastUsed
    }

    /// Every usage record, by full model name.
    public func usageRecords() async -> [String: LocalModelUsage] { await loadUsage() }

    /// Running averages of `model`'s speed since this manager started; `nil` before any timed answer.
    public func performance(of model: String) -> LocalModelPerformance? {
        performanceByModel[OllamaModelName.normalized(model)]
    }

    private func loadUsage() async -> [String: LocalModelUsage] {
        if let usage { return usage }
        var loaded: [String: LocalModelUsage] = [:]
        do {
            loaded = try await store.load()
        } catch {
            logger.warning("could not read local model usage", metadata: ["error": "\(error)"])
        }
        // Another call may have recorded use while the store was read.
        let merged = loaded.merging(usage ?? [:]) { _, new in new }
        usage = merged
        return merged
    }

    private func saveUsage() async {
        do {
            try await store.save(usage ?? [:])
        } catch {
            logger.warning("could not save local model usage", metadata: ["error": "\(error)"])
        }
    }

    // MARK: Memory

    /// Unloads the least recently used loaded models (`keep_alive: 0`) until no more than
    /// `maxLoadedModels` are loaded and they hold no more than `maxLoadedMemory`; returns their names.
    ///
    /// Loaded models Switchboard never used count as least recent (ordered by Ollama's expiry time).
    @discardableResult
    public func enforceMemoryLimits() async throws -> [String] {
        guard policy.maxLoadedModels != nil || policy.maxLoadedMemory != nil else { return [] }
        var loaded = try await api.loadedModels(logger: logger)
        let records = await loadUsage()
        func overLimit() -> Bool {
            if let limit = policy.maxLoadedModels, loaded.count > limit { return true }
            if let limit = policy.maxLoadedMemory, loaded.reduce(0, { $0 + $1.size }) > limit { return true }
            return false
        }
        guard overLimit() else { return [] }
        loaded.sort { lhs, rhs in
            let left = records[OllamaModelName.normalized(lhs.name)]?.lastUsed
            let right = records[OllamaModelName.normalized(rhs.name)]?.lastUsed
            switch (left, right) {
            case (nil, .some): return true
            case (.some, nil): return false
            case (let left?, let right?) where left != right: return left < right
            default: return (lhs.expiresAt ?? .distantPast, lhs.name) < (rhs.expiresAt ?? .distantPast, rhs.name)
            }
        }
        var unloaded: [String] = []
        while overLimit(), !loaded.isEmpty {
            let model = loaded.removeFirst()
            try await api.unload(model.name, logger: logger)
            logger.info("unloaded local model", metadata: ["model": "\(model.name)", "bytes": "\(model.size)"])
            unloaded.append(model.name)
        }
        return unloaded
    }

    // MARK: Selection

    /// The smallest installed model that has every required capability, at least the minimum context
    /// length and at most the maximum size; `nil` when none fits. The result's `capabilities` are
    /// filled from `/api/show`.
    public func selectModel(for requirement: LocalModelRequirement) async throws -> OllamaInstalledModel? {
        let installed = try await api.installedModels(logger: logger).sorted { ($0.size, $0.name) < ($1.size, $1.name) }
        for model in installed {
            if let maximum = requirement.maximumSize, model.size > maximum { continue }
            let details = try await cachedDetails(of: model)
            let capabilities = Set(Self.capabilities(of: model, details: details).map(LocalModelCapability.init))
            guard requirement.capabilities.isSubset(of: capabilities) else { continue }
            if let minimum = requirement.minimumContextLength {
                guard let length = details.contextLength, length >= minimum else { continue }
            }
            var chosen = model
            chosen.capabilities = Self.capabilities(of: model, details: details)
            return chosen
        }
        return nil
    }

    private func cachedDetails(of model: OllamaInstalledModel) async throws -> OllamaModelDetails {
        let key = model.name + "@" + model.digest
        if let cached = detailsByDigest[key] { return cached }
        let details = try await api.details(of: model.name, logger: logger)
        detailsByDigest[key] = details
        return details
    }

    /// Ollama's capability names; servers too old to say are assumed to chat, or to embed for
    /// BERT-family and `*embed*` models.
    private static func capabilities(of model: OllamaInstalledModel, details: OllamaModelDetails) -> [String] {
        if !details.capabilities.isEmpty { return details.capabilities }
        if let listed = model.capabilities, !listed.isEmpty { return listed }
        let family = (details.family ?? model.family ?? "").lowercased()
        return family.contains("bert") || model.name.contains("embed") ? ["embedding"] : ["completion"]
    }
}
