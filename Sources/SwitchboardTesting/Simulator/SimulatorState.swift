import Synchronization

/// Everything the simulator's tests script and everything it records, behind one lock.
final class SimulatorState: Sendable {
    /// Scripted behaviour for one provider.
    struct ProviderScript {
        var queue: [SimulatedReply] = []
        var defaultReply: SimulatedReply?
        var models: [String]
        var requiredKey: String?
    }

    private struct Storage {
        var scripts: [SimulatedProvider: ProviderScript]
        var requests: [RecordedRequest] = []
        var deliveries: [RecordedRequest] = []
        var idCounter = 0
    }

    private let storage: Mutex<Storage>
    /// Abandoned responses.
    let disconnects = DisconnectTracker()
    /// The simulated Ollama's installed, upstream and loaded models.
    let ollama = OllamaModelStore()

    init() {
        storage = Mutex(
            Storage(scripts: [
                .openAI: ProviderScript(models: ["gpt-4o", "gpt-4o-mini", "text-embedding-3-small"]),
                .anthropic: ProviderScript(models: ["claude-sonnet-4-20250514", "claude-3-5-haiku-20241022"]),
                .gemini: ProviderScript(
                    models: ["gemini-2.5-flash", "gemini-2.5-pro", "gemini-2.0-flash", "gemini-embedding-001"]),
                .ollama: ProviderScript(models: []),
            ])
        )
    }

    func enqueue(_ reply: SimulatedReply, for provider: SimulatedProvider) {
        storage.withLock { $0.scripts[provider, default: ProviderScript(models: [])].queue.append(reply) }
    }

    func setDefaultReply(_ reply: SimulatedReply?, for provider: SimulatedProvider) {
        storage.withLock { $0.scripts[provider, default: ProviderScript(models: [])].defaultReply = reply }
    }

    func setModels(_ ids: [String], for provider: SimulatedProvider) {
        storage.withLock { $0.scripts[provider, default: ProviderScript(models: [])].models = ids }
    }

    func requireAPIKey(_ key: String?, for provider: SimulatedProvider) {
        storage.withLock { $0.scripts[provider, default: ProviderScript(models: [])].requiredKey = key }
    }

    func models(for provider: SimulatedProvider) -> [String] {
        storage.withLock { $0.scripts[provider]?.models ?? [] }
    }

    func requiredKey(for provider: SimulatedProvider) -> String? {
        storage.withLock { $0.scripts[provider]?.requiredKey }
    }

    /// The next queued reply, else the default one; `nil` means the built-in echo.
    func nextReply(for provider: SimulatedProvider) -> SimulatedReply? {
        storage.withLock { storage -> SimulatedReply? in
            guard var script = storage.scripts[provider] else { return nil }
            if script.queue.isEmpty { return script.defaultReply }
            let reply = script.queue.removeFirst()
            storage.scripts[provider] = script
            return reply
        }
    }

    func record(_ request: RecordedRequest) {
        storage.withLock { $0.requests.append(request) }
    }

    var requests: [RecordedRequest] { storage.withLock { $0.requests } }

    /// Notes that the response to `request` was written whole to a client still connected.
    func recordDelivery(_ request: RecordedRequest) {
        storage.withLock { $0.deliveries.append(request) }
    }

    var deliveries: [RecordedRequest] { storage.withLock { $0.deliveries } }

    /// A fresh number for ids, unique within this simulator.
    func nextID() -> Int {
        storage.withLock { storage -> Int in
            storage.idCounter += 1
            return storage.idCounter
        }
    }
}
