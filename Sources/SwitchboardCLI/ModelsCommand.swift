import ArgumentParser
import Foundation
import Switchboard

/// `switchboard models`: the models every configured provider offers.
struct ModelsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models", abstract: "List the models of the configured providers.")

    @Option(name: .long, help: "Only this provider.")
    var provider: String?

    @Flag(name: .long, help: "Print a JSON array instead of a table.")
    var json = false

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let environment = CommandEnvironment(verbose: global.verbose, debug: global.debug)
        let configuration = try environment.loadConfiguration()
        let output = environment.output
        try await withLLMClient(configuration: configuration, logger: environment.logger) { client in
            let ids = provider.map { [ProviderID($0)] } ?? client.providers.map(\.id)
            if ids.isEmpty {
                _ = try await client.models(provider: ProviderID.openAI)  // throws the not-configured error
            }
            var models: [ModelInfo] = []
            var failures: [any Error] = []
            for id in ids {
                do {
                    models += try await client.models(provider: id)
                } catch {
                    failures.append(error)
                    output.writeError("switchboard: \(id): \(error)\n")
                }
            }
            if models.isEmpty, let first = failures.first { throw first }
            if json {
                let array = JSONValue.array(
                    models.map { model in
                        var object: [String: JSONValue] = [
                            "id": .string(model.id), "provider": .string(model.provider.rawValue),
                        ]
                        if let name = model.displayName { object["display_name"] = .string(name) }
                        if let window = model.contextWindow { object["context_window"] = .integer(window) }
                        if let owner = model.ownedBy { object["owned_by"] = .string(owner) }
                        return .object(object)
                    })
                output.write(array.jsonString() + "\n")
            } else {
                let rows = models.map { model in
                    [
                        model.provider.rawValue, model.id, model.contextWindow.map(String.init) ?? "—",
                        model.displayName ?? model.ownedBy ?? "",
                    ]
                }
                output.write(
                    Table(header: ["PROVIDER", "MODEL", "CONTEXT", "NAME"], rows: rows).render(output: output))
            }
        }
    }
}

/// A plain text table with aligned columns.
struct Table {
    var header: [String]
    var rows: [[String]]

    func render(output: TerminalOutput) -> String {
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], TerminalSanitizer.sanitize(cell).count)
            }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                let clean = TerminalSanitizer.sanitize(cell)
                return index == cells.count - 1
                    ? clean : clean.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        var text = output.bold(line(header)) + "\n"
        for row in rows { text += line(row) + "\n" }
        return text
    }
}
