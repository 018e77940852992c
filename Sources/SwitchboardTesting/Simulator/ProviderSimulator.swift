import Logging
import Synchronization

/// A local HTTP server that speaks the OpenAI, Anthropic, Google Gemini and Ollama wire formats, for
/// testing clients without the network.
///
/// Each provider lives under its own prefix (see ``baseURL(for:)``; Ollama at the root). Chat,
/// messages and generateContent requests get the next ``SimulatedReply`` queued with
/// ``enqueue(_:for:)``, else the default reply, else an echo of the last user message. Every request
/// is recorded before it is answered (``requests``).
///
/// ```swift
/// try await ProviderSimulator.withSimulator { simulator in
///     simulator.enqueue(.text("Hello!"), for: .openAI)
///     // point a client at simulator.baseURL(for: .openAI)
/// }
/// ```
public final class ProviderSimulator: Sendable {
    private let state: SimulatorState
    private let handler: ConnectionHandler
    /// The listening server; `nil` while stopped (see ``stop()``).
    private let server: Mutex<SimulatorServer?>
    private let stopped = Mutex(false)

    /// The TCP port the simulator listens on at 127.0.0.1 (also after a ``restart()``).
    public let port: Int

    private init(state: SimulatorState, handler: ConnectionHandler, server: SimulatorServer) {
        self.state = state
        self.handler = handler
        self.server = Mutex(server)
        self.port = server.port
    }

    /// Starts a simulator on an ephemeral port of 127.0.0.1.
    public static func start(logger: Logger = Logger(label: "switchboard.simulator")) async throws -> ProviderSimulator
    {
        let state = SimulatorState()
        let handler = ConnectionHandler(
            router: SimulatorRouter(state: state),
            tracker: state.disconnects,
            logger: logger
        )
        let server = try await SimulatorServer.start(handler: handler)
        logger.debug("provider simulator started", metadata: ["port": "\(server.port)"])
        return ProviderSimulator(state: state, handler: handler, server: server)
    }

    /// Stops the server, ending open connections and scripted delays; safe to call more than once.
    ///
    /// Waiters in ``waitForClientDisconnects(_:)`` are released, and connections closed by the
    /// shutdown are not counted as client disconnects.
    public func shutdown() async throws {
        let first = stopped.withLock { stopped -> Bool in
            defer { stopped = true }
            return !stopped
        }
        guard first else { return }
        state.disconnects.close()
        await stop()
    }

    /// Stops listening and ends every open connection — to a client, the network is gone: connections
    /// are refused — while keeping the scripted replies, models and the request log. ``restart()``
    /// listens again on the same port. Does nothing when already stopped.
    public func stop() async {
        let running = server.withLock { server in
            defer { server = nil }
            return server
        }
        await running?.shutdown()
    }

    /// Listens again on ``port`` after ``stop()``; does nothing while running. Throws when the port was
    /// taken meanwhile, or after ``shutdown()``.
    public func restart() async throws {
        guard !stopped.withLock({ $0 }) else { throw SimulatorError.shutDown }
        guard server.withLock({ $0 == nil }) else { return }
        let restarted = try await SimulatorServer.start(handler: handler, port: port)
        let duplicate = server.withLock { server -> SimulatorServer? in
            guard server == nil else { return restarted }
            server = restarted
            return nil
        }
        await duplicate?.shutdown()
    }

    /// Whether the simulator is listening now.
    public var isListening: Bool { server.withLock { $0 != nil } }

    /// Runs `body` with a started simulator and always shuts it down.
    public static func withSimulator<T: Sendable>(_ body: (ProviderSimulator) async throws -> T) async throws -> T {
        let simulator = try await start()
        let result: T
        do {
            result = try await body(simulator)
        } catch {
            try? await simulator.shutdown()
            throw error
        }
        try await simulator.shutdown()
        return result
    }

    /// The base URL a client for `provider` should use.
    ///
    /// OpenAI: `http://127.0.0.1:PORT/openai/v1` (SDK-style base including `/v1`);
    /// Anthropic: `http://127.0.0.1:PORT/anthropic` (paths start `/v1/...`);
    /// Gemini: `http://127.0.0.1:PORT/gemini/v1beta` (paths start `/models/...`);
    /// Ollama: `http://127.0.0.1:PORT` (paths start `/api/...`; `OLLAMA_HOST` is `127.0.0.1:PORT`).
    public func baseURL(for provider: SimulatedProvider) -> String {
        switch provider {
        case .openAI: "http://127.0.0.1:\(port)/openai/v1"
        case .anthropic: "http://127.0.0.1:\(port)/anthropic"
        case .gemini: "http://127.0.0.1:\(port)/gemini/v1beta"
        case .ollama: "http://127.0.0.1:\(port)"
        }
    }

    /// Queues a reply for the next chat/messages/generateContent (or embeddings) request of `provider`;
    /// replies are used in FIFO order.
    public func enqueue(_ reply: SimulatedReply, for provider: SimulatedProvider) {
        state.enqueue(reply, for: provider)
    }

    /// Sets the reply used when the queue is empty; `nil` restores the built-in echo
    /// ("Simulated reply to: <last user text>").
    public func setDefaultReply(_ reply: SimulatedReply?, for provider: SimulatedProvider) {
        state.setDefaultReply(reply, for: provider)
    }

    /// Sets the model ids `GET /models` lists for `provider`.
    ///
    /// For ``SimulatedProvider/ollama`` this replaces the installed models with models of those names
    /// and default details (see ``setLocalModels(_:)`` for full control).
    public func setModels(_ ids: [String], for provider: SimulatedProvider) {
        if provider == .ollama {
            state.ollama.setInstalled(ids.map { SimulatedLocalModel(name: $0, size: 2_019_393_189) })
        } else {
            state.setModels(ids, for: provider)
        }
    }

    /// When set, only this key is accepted (else any non-empty key); a wrong or missing key gets a
    /// 401 in the provider's format (Gemini: 400 `INVALID_ARGUMENT` with reason `API_KEY_INVALID`).
    /// Ollama needs no key unless one is set here; then it must come as `Authorization: Bearer`.
    public func requireAPIKey(_ key: String?, for provider: SimulatedProvider) {
        state.requireAPIKey(key, for: provider)
    }

    /// Every request received, in order.
    public var requests: [RecordedRequest] { state.requests }

    /// The requests received under `provider`'s prefix, in order.
    public func requests(for provider: SimulatedProvider) -> [RecordedRequest] {
        state.requests.filter { $0.provider == provider }
    }

    /// The requests whose response was written whole while the client was still connected, in the
    /// order they were completed: a response held at a gate, cut, dropped, or abandoned by a client
    /// that went away (killed, cancelled) is in ``requests`` but not here.
    public var completedRequests: [RecordedRequest] { state.deliveries }

    /// The completed requests (see ``completedRequests``) under `provider`'s prefix.
    public func completedRequests(for provider: SimulatedProvider) -> [RecordedRequest] {
        state.deliveries.filter { $0.provider == provider }
    }

    // MARK: Ollama models

    /// Replaces the models the simulated Ollama has installed (`/api/tags`); names without a tag get `:latest`.
    public func setLocalModels(_ models: [SimulatedLocalModel]) {
        state.ollama.setInstalled(models)
    }

    /// The models the simulated Ollama has installed, in `/api/tags` order.
    public var localModels: [SimulatedLocalModel] { state.ollama.installed }

    /// Replaces the registry `/api/pull` fetches from. A successful pull installs the model, or
    /// replaces the installed copy when the digest differs.
    public func setUpstreamModels(_ models: [SimulatedLocalModel]) {
        state.ollama.setUpstream(models)
    }

    /// The number of `/api/pull` requests received for `model` (tag defaults to `latest`).
    public func pullCount(for model: String) -> Int {
        state.ollama.pullCount(for: model)
    }

    /// Faults applied to every following `/api/pull` (`eventInterval`, `holdAfterEvents`, `cutStream`,
    /// `malformedChunk`, `inStreamError`, `httpError`, `latency`, `dropConnection`); events are progress lines.
    public func setPullFaults(_ faults: [SimulatedFault]) {
        state.ollama.pullFaults = faults
    }

    /// The models `/api/ps` reports as loaded now, by full name.
    public var loadedModels: [String] { state.ollama.loaded().map(\.model.name) }

    /// Number of responses the client abandoned before they were complete (connection closed by
    /// the client mid-response).
    public var clientDisconnects: Int { state.disconnects.count }

    /// Suspends until at least `count` client disconnects have been recorded.
    ///
    /// Returns early when the task is cancelled or the simulator shuts down.
    public func waitForClientDisconnects(_ count: Int = 1) async {
        await state.disconnects.wait(for: count)
    }
}
