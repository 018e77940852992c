import Foundation
import Synchronization

/// The simulated Ollama's model state: installed models, the upstream registry `/api/pull` fetches
/// from, loaded models with their expiry, pull counts and pull faults.
final class OllamaModelStore: Sendable {
    /// A model in memory, as `/api/ps` reports it.
    struct LoadedModel: Sendable {
        var model: SimulatedLocalModel
        var expiresAt: Date
        var contextLength: Int
    }

    private struct State {
        var installed: [SimulatedLocalModel]
        var upstream: [SimulatedLocalModel]
        var loaded: [String: LoadedModel] = [:]
        var pulls: [String: Int] = [:]
        var pullFaults: [SimulatedFault] = []
    }

    private let state: Mutex<State>

    init() {
        state = Mutex(State(installed: Self.defaultInstalled, upstream: Self.defaultInstalled + [Self.qwen]))
    }

    // MARK: Installed and upstream models

    var installed: [SimulatedLocalModel] { state.withLock { $0.installed } }

    func setInstalled(_ models: [SimulatedLocalModel]) {
        let models = models.map(Self.normalized)
        state.withLock { state in
            state.installed = models
            state.loaded = state.loaded.filter { name, _ in models.contains { $0.name == name } }
        }
    }

    func setUpstream(_ models: [SimulatedLocalModel]) {
        let models = models.map(Self.normalized)
        state.withLock { $0.upstream = models }
    }

    /// The installed model called `name` (tag defaults to `latest`).
    func installed(named name: String) -> SimulatedLocalModel? {
        let full = SimulatedLocalModel.normalized(name)
        return state.withLock { $0.installed.first { $0.name == full } }
    }

    /// The upstream model called `name` (tag defaults to `latest`).
    func upstream(named name: String) -> SimulatedLocalModel? {
        let full = SimulatedLocalModel.normalized(name)
        return state.withLock { $0.upstream.first { $0.name == full } }
    }

    /// Installs a pulled model: adds it, or replaces the installed copy when the digest differs.
    func install(_ pulled: SimulatedLocalModel, at date: Date = Date()) {
        var model = Self.normalized(pulled)
        model.modifiedAt = date
        state.withLock { state in
            if let index = state.installed.firstIndex(where: { $0.name == model.name }) {
                if state.installed[index].digest != model.digest { state.installed[index] = model }
            } else {
                state.installed.append(model)
            }
        }
    }

    /// Removes the installed model called `name` (and unloads it); `false` when there is none.
    func delete(named name: String) -> Bool {
        let full = SimulatedLocalModel.normalized(name)
        return state.withLock { state -> Bool in
            guard let index = state.installed.firstIndex(where: { $0.name == full }) else { return false }
            state.installed.remove(at: index)
            state.loaded[full] = nil
            return true
        }
    }

    // MARK: Pulls

    /// Counts one pull request for `name`.
    func recordPull(of name: String) {
        let full = SimulatedLocalModel.normalized(name)
        state.withLock { $0.pulls[full, default: 0] += 1 }
    }

    func pullCount(for name: String) -> Int {
        let full = SimulatedLocalModel.normalized(name)
        return state.withLock { $0.pulls[full] ?? 0 }
    }

    var pullFaults: [SimulatedFault] {
        get { state.withLock { $0.pullFaults } }
        set { state.withLock { $0.pullFaults = newValue } }
    }

    // MARK: Loaded models

    /// Marks `model` loaded per `keepAlive`; returns whether it was loaded already (a warm start).
    @discardableResult
    func load(
        _ model: SimulatedLocalModel, keepAlive: OllamaKeepAlive, contextLength: Int, now: Date = Date()
    )
        -> Bool
    {
        state.withLock { state -> Bool in
            let wasLoaded = state.loaded[model.name].map { $0.expiresAt > now } ?? false
            switch keepAlive.expiry(from: now) {
            case nil:
                state.loaded[model.name] = nil
            case let expiresAt?:
                state.loaded[model.name] = LoadedModel(model: model, expiresAt: expiresAt, contextLength: contextLength)
            }
            return wasLoaded
        }
    }

    /// The models in memory now, expired ones dropped, sorted by name.
    func loaded(now: Date = Date()) -> [LoadedModel] {
        state.withLock { state -> [LoadedModel] in
            state.loaded = state.loaded.filter { $0.value.expiresAt > now }
            return state.loaded.values.sorted { $0.model.name < $1.model.name }
        }
    }

    // MARK: Defaults

    private static func normalized(_ model: SimulatedLocalModel) -> SimulatedLocalModel {
        var copy = model
        copy.name = SimulatedLocalModel.normalized(model.name)
        return copy
    }

    private static let installedAt = Date(timeIntervalSince1970: 1_746_405_464)

    /// llama3.2 (tools), llava (vision) and nomic-embed-text (embeddings).
    static let defaultInstalled: [SimulatedLocalModel] = [
        SimulatedLocalModel(
            name: "llama3.2:latest", size: 2_019_393_189,
            digest: "a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72",
            capabilities: ["completion", "tools"], contextLength: 131_072, modifiedAt: installedAt),
        SimulatedLocalModel(
            name: "llava:latest", size: 4_733_363_377,
            digest: "8dd30f6b0cb19f555f2c7a7ebda861449ea2cc76bf1f44e262931f45fc81d081",
            parameterSize: "7B", quantization: "Q4_0", capabilities: ["completion", "vision"],
            contextLength: 32_768, modifiedAt: installedAt),
        SimulatedLocalModel(
            name: "nomic-embed-text:latest", size: 274_302_450,
            digest: "0a109f422b47e3a30ba2b10eca18548e944e8a23073ee3f3e947efcf3c45e59f",
            family: "nomic-bert", parameterSize: "137M", quantization: "F16", capabilities: ["embedding"],
            contextLength: 2048, modifiedAt: installedAt),
    ]

    /// Available upstream only.
    static let qwen = SimulatedLocalModel(
        name: "qwen2.5:0.5b", size: 397_821_319,
        digest: "a8b0c51577010a279d933d14c2a8ab4b268079d44c5c8830c0a93900f1827c67",
        family: "qwen2", parameterSize: "494.03M", quantization: "Q4_K_M", capabilities: ["completion", "tools"],
        contextLength: 32_768, modifiedAt: installedAt)
}
