import Logging
import Synchronization

/// A local HTTP server that speaks the OpenAI and Anthropic wire formats, for testing clients
/// without the network.
///
/// Each provider lives under its own prefix (see ``baseURL(for:)``). Chat and messages requests get
/// the next ``SimulatedReply`` queued with ``enqueue(_:for:)``, else the default reply, else an echo
/// of the last user message. Every request is recorded before it is answered (``requests``).
///
/// ```swift
/// try await ProviderSimulator.withSimulator { simulator in
///     simulator.enqueue(.text("Hello!"), for: .openAI)
///     // point a client at simulator.baseURL(for: .openAI)
/// }
/// ```
public final class ProviderSimulator: Sendable {
    private let state: SimulatorState
    private let server: SimulatorServer
    private let stopped = Mutex(false)

    /// The TCP port the simulator listens on at 127.0.0.1.
    public let port: Int

    private init(state: SimulatorState, server: SimulatorServer) {
        self.state = state
        self.server = server
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
        return ProviderSimulator(state: state, server: server)
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
        await server.shutdown()
    }

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
    /// Anthropic: `http://127.0.0.1:PORT/anthropic` (paths start `/v1/...`).
    public func baseURL(for provider: SimulatedProvider) -> String {
        switch provider {
        case .openAI: "http://127.0.0.1:\(port)/openai/v1"
        case .anthropic: "http://127.0.0.1:\(port)/anthropic"
        }
    }

    /// Queues a reply for the next chat/messages (or embeddings) request of `provider`; replies are used in FIFO order.
    public func enqueue(_ reply: SimulatedReply, for provider: SimulatedProvider) {
        state.enqueue(reply, for: provider)
    }

    /// Sets the reply used when the queue is empty; `nil` restores the built-in echo
    /// ("Simulated reply to: <last user text>").
    public func setDefaultReply(_ reply: SimulatedReply?, for provider: SimulatedProvider) {
        state.setDefaultReply(reply, for: provider)
    }

    /// Sets the model ids `GET /models` lists for `provider`.
    public func setModels(_ ids: [String], for provider: SimulatedProvider) {
        state.setModels(ids, for: provider)
    }

    /// When set, only this key is accepted (else any non-empty key); a wrong or missing key gets a
    /// 401 in the provider's format.
    public func requireAPIKey(_ key: String?, for provider: SimulatedProvider) {
        state.requireAPIKey(key, for: provider)
    }

    /// Every request received, in order.
    public var requests: [RecordedRequest] { state.requests }

    /// The requests received under `provider`'s prefix, in order.
    public func requests(for provider: SimulatedProvider) -> [RecordedRequest] {
        state.requests.filter { $0.provider == provider }
    }

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
