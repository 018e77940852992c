import ArgumentParser
import Foundation
import Switchboard

/// `switchboard audit`: the tamper-evident trail of key use and key management.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show, export or verify the audit trail of key use and key management.",
        discussion: """
            Reads <data directory>/audit.sqlite (audit.path in switchboard.yaml). Each entry carries a SHA-256 \
            hash chained to the entry before; `switchboard audit verify` recomputes the chain and exits with \
            status 1 when an entry was edited, inserted or deleted.
            """,
        subcommands: [AuditShow.self, AuditVerify.self], defaultSubcommand: AuditShow.self)

    static func store() throws -> (any AuditStore)? {
        let environment = CommandEnvironment(verbose: false)
        let configuration = try environment.loadConfiguration()
        let path =
            configuration.audit?.path ?? SQLiteAuditStore.path(dataDirectory: configuration.dataDirectory)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try SQLiteAuditStore(path: path)
    }
}

struct AuditShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print the audit trail.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Option(name: .long, help: "First time to include: a day (2026-11-01) or an ISO 8601 time.")
    var since: String?

    @Option(name: .long, help: "First time to leave out: a day or an ISO 8601 time.")
    var until: String?

    @Option(name: .long, help: "text or json.")
    var format: Format = .text

    func run() async throws {
        let lower = try Self.time(since, option: "--since")
        let upper = try Self.time(until, option: "--until")
        let entries = try await AuditCommand.store()?.entries(since: lower, until: upper) ?? []
        let output = CommandEnvironment(verbose: false).output
        switch format {
        case .json: output.write(AuditExport.json(entries) + "\n")
        case .text: output.write(AuditExport.text(entries))
        }
    }

    static func time(_ text: String?, option: String) throws -> Date? {
        guard let text else { return nil }
        if let date = try? Date(text, strategy: .iso8601) { return date }
        if let date = try? Date(text + "T00:00:00Z", strategy: .iso8601) { return date }
        throw UsageError(
            description: "\(option) '\(text)' is not a day like 2026-11-01 or a time like 2026-11-01T12:00:00Z")
    }
}

struct AuditVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Check that no audit entry was edited, inserted or deleted.")

    func run() async throws {
        let output = CommandEnvironment(verbose: false).output
        guard let store = try AuditCommand.store() else {
            output.write("audit trail intact: 0 entries\n")
            return
        }
        let verification = try await store.verify()
        if verification.isIntact {
            output.write("\(verification)\n")
        } else {
            output.writeError("audit trail TAMPERED (\(verification.entryCount) entries):\n")
            for problem in verification.problems { output.writeError("  - \(problem.description)\n") }
            throw ExitCode(ExitStatus.failure.rawValue)
        }
    }
}
