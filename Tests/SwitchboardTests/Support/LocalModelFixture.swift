import Foundation
import Logging
import Switchboard
import SwitchboardTesting

/// Runs `body` with a started simulator and a ``LocalModelManager`` for its Ollama; shuts both down.
func withLocalModelManager<T: Sendable>(
    policy: LocalModelPolicy = .init(),
    store: any LocalModelUsageStore = InMemoryLocalModelUsageStore(),
    now: @escaping @Sendable () -> Date = { Date() },
    _ body: (LocalModelManager, ProviderSimulator) async throws -> T
) async throws -> T {
    try await ProviderSimulator.withSimulator { simulator in
        let transport = HTTPTransport(
            configuration: TransportConfiguration(requestTimeout: .seconds(60), idleTimeout: .seconds(30)))
        let result: T
        do {
            let api = OllamaModelAPI(
                configuration: try OllamaConfiguration(host: simulator.baseURL(for: .ollama)), transport: transport)
            let manager = LocalModelManager(
                api: api, policy: policy, store: store, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() },
                now: now)
            result = try await body(manager, simulator)
        } catch {
            try? await transport.shutdown()
            throw error
        }
        try await transport.shutdown()
        return result
    }
}

/// A 64-hex digest made of one repeated character.
func testDigest(_ character: Character) -> String { String(repeating: character, count: 64) }
