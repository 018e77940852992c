import Foundation
import Switchboard

/// The Ollama server `switchboard local` manages: the provider named with `--provider`, else the
/// first Ollama provider configured (OLLAMA_HOST or switchboard.yaml), else 127.0.0.1:11434.
struct LocalModelsEnvironment {
    let environment: CommandEnvironment
    let configuration: SwitchboardConfiguration
    let settings: ProviderConfiguration

    init(verbose: Bool, provider: String?) throws {
        environment = CommandEnvironment(verbose: verbose)
        configuration = try environment.loadConfiguration()
        let ollamaProviders = configuration.providers.filter { $0.kind == .ollama }
        if let provider {
            guard let found = ollamaProviders.first(where: { $0.id.rawValue == provider }) else {
                let names = ollamaProviders.map(\.id.rawValue)
                throw ProviderError(
                    kind: .notConfigured, provider: ProviderID(provider),
                    message: "'\(provider)' is not a configured Ollama provider"
                        + (names.isEmpty ? "; set OLLAMA_HOST" : "; configured: \(names.joined(separator: ", "))"))
            }
            settings = found
        } else {
            settings = ollamaProviders.first ?? ProviderConfiguration(id: .ollama, kind: .ollama)
        }
    }

    var output: TerminalOutput { environment.output }

    /// Runs `body` with a manager for the server and closes its connections afterwards.
    func run<T>(_ body: (LocalModelManager) async throws -> T) async throws -> T {
        let transport = HTTPTransport(configuration: configuration.transport)
        let result: T
        do {
            let api = OllamaModelAPI(configuration: try settings.ollamaConfiguration(), transport: transport)
            let cache = CacheFile(configuration: configuration, logger: environment.logger)
            let provider = settings.id
            let manager = LocalModelManager(
                api: api, policy: settings.localModels,
                store: FileLocalModelUsageStore(dataDirectory: configuration.dataDirectory, provider: settings.id),
                logger: environment.logger,
                onUpdate: { updates in
                    // A new version answers differently: drop the cached answers of the old one.
                    guard updates.contains(where: { $0.changed && $0.previousDigest != nil }) else { return }
                    await (try? cache.open())?.modelsUpdated(updates, provider: provider)
                })
            result = try await body(manager)
        } catch {
            try? await transport.shutdown()
            throw error
        }
        try? await transport.shutdown()
        return result
    }
}

/// Dates as the local commands print them.
enum LocalDates {
    static func iso(_ date: Date?) -> JSONValue {
        guard let date else { return .null }
        return .string(ISO8601DateFormatter().string(from: date))
    }

    static func short(_ date: Date?) -> String {
        guard let date else { return "—" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }
}
