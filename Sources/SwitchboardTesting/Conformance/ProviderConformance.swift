import Logging
import Switchboard

/// The behaviour every ``LanguageModelProvider`` must show, checked against the simulator over
/// real HTTP on loopback.
///
/// Run every check from a test, one test case per check:
/// ```swift
/// @Test(arguments: ProviderConformance.checkNames)
/// func conformance(check: String) async throws {
///     try await ProviderConformance(simulated: .openAI) { baseURL, key, transport in
///         OpenAIProvider(configuration: try .init(apiKey: APIKey(key), baseURL: baseURL), transport: transport)
///     }.run(check)
/// }
/// ```
public struct ProviderConformance: Sendable {
    /// Builds the adapter under test for a simulator base URL, an API key and a transport.
    public typealias Factory =
        @Sendable (_ baseURL: String, _ apiKey: String, _ transport: HTTPTransport) throws -> any LanguageModelProvider

    public let simulated: SimulatedProvider
    public let makeProvider: Factory
    public let logger: Logger

    public init(
        simulated: SimulatedProvider, logger: Logger = Logger(label: "switchboard.conformance"),
        makeProvider: @escaping Factory
    ) {
        self.simulated = simulated
        self.makeProvider = makeProvider
        self.logger = logger
    }

    /// The names of every check, in order.
    public static var checkNames: [String] { ConformanceChecks.all.map(\.name) }

    /// Runs one check; throws ``ConformanceFailure`` when it does not hold.
    public func run(_ name: String) async throws {
        guard let check = ConformanceChecks.all.first(where: { $0.name == name }) else {
            throw ConformanceFailure(check: name, message: "there is no such check")
        }
        let simulated = self.simulated
        let makeProvider = self.makeProvider
        let logger = self.logger
        try await ProviderSimulator.withSimulator { simulator in
            let transport = HTTPTransport(
                configuration: TransportConfiguration(
                    connectTimeout: .seconds(10), requestTimeout: .seconds(60), idleTimeout: .seconds(20)))
            do {
                let key = "sk-conformance-0123456789abcdefghij"
                if ConformanceProfile.of(simulated).invalidKeyStatus != nil {
                    simulator.requireAPIKey(key, for: simulated)
                }
                if simulated == .ollama {
                    // Ollama answers only for installed models; the checks name this one.
                    simulator.setModels(["conformance-model"], for: .ollama)
                }
                let context = ConformanceContext(
                    simulator: simulator, simulated: simulated,
                    provider: try makeProvider(simulator.baseURL(for: simulated), key, transport), apiKey: key,
                    logger: logger, check: name)
                try await check.body(context)
            } catch {
                try? await transport.shutdown()
                throw error
            }
            try await transport.shutdown()
        }
    }

    /// Runs every check and returns the failures (empty when the adapter conforms).
    public func runAll() async -> [ConformanceFailure] {
        var failures: [ConformanceFailure] = []
        for name in Self.checkNames {
            do {
                try await run(name)
            } catch let failure as ConformanceFailure {
                failures.append(failure)
            } catch {
                failures.append(ConformanceFailure(check: name, message: "threw \(error)"))
            }
        }
        return failures
    }
}
