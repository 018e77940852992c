import ArgumentParser
import Foundation
import Switchboard

/// `switchboard outbox`: the requests deferred while offline (`ask --defer`), and sending them.
struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "List, show, send or remove the requests queued while offline.",
        discussion: """
            Requests asked with --defer while no external provider can be reached wait in the outbox \
            (<data directory>/outbox.sqlite, or offline.outbox.path) until `switchboard outbox sync` — or a \
            program running the library's Outbox service — sends them, highest priority and oldest first.
            """,
        subcommands: [List.self, Show.self, Sync.self, Remove.self],
        defaultSubcommand: List.self)

    /// `switchboard outbox list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the queued requests, their state and attempts.")

        @Flag(name: .long, help: "Print a JSON array instead of a table.")
        var json = false

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let environment = CommandEnvironment(verbose: global.verbose, debug: global.debug)
            let entries = try await OutboxCommand.store(environment).entries()
            let output = environment.output
            if json {
                output.write(JSONValue.array(entries.map { OutboxCommand.json($0, full: false) }).jsonString() + "\n")
                return
            }
            guard !entries.isEmpty else {
                output.write("The outbox is empty.\n")
                return
            }
            let rows = entries.map { entry -> [String] in
                [
                    entry.ticket.description, entry.state.rawValue, "\(entry.priority)", "\(entry.attempts)",
                    OutboxCommand.timestamp(entry.createdAt), OutboxCommand.detail(entry),
                ]
            }
            output.write(
                Table(header: ["TICKET", "STATE", "PRIORITY", "ATTEMPTS", "QUEUED", "DETAIL"], rows: rows)
                    .render(output: output))
        }
    }

    /// `switchboard outbox show ID`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show one queued request, with its answer or error.")

        @Argument(help: "The ticket: 12 or #12.")
        var ticket: String

        @Flag(name: .long, help: "Print a JSON object.")
        var json = false

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let environment = CommandEnvironment(verbose: global.verbose, debug: global.debug)
            let ticket = try OutboxCommand.ticket(self.ticket)
            guard let entry = try await OutboxCommand.store(environment).entry(id: ticket.id) else {
                throw UsageError(description: "no outbox entry \(ticket)")
            }
            let output = environment.output
            if json {
                output.write(OutboxCommand.json(entry, full: true).jsonString() + "\n")
                return
            }
            var lines = [
                "Ticket:    \(entry.ticket)", "State:     \(entry.state)", "Priority:  \(entry.priority)",
                "Attempts:  \(entry.attempts)", "Queued:    \(OutboxCommand.timestamp(entry.createdAt))",
            ]
            let request = entry.request
            if let provider = request.provider {
                lines.append("Provider:  \(provider)" + (request.model.map { " · \($0)" } ?? ""))
            }
            if let task = request.metadata.taskType { lines.append("Task:      \(task)") }
            if let retryAt = entry.retryAt, entry.state == .pending {
                lines.append("Retry at:  \(OutboxCommand.timestamp(retryAt))")
            }
            if let error = entry.lastError { lines.append("Error:     \(error.kind): \(error.message)") }
            output.write(lines.map { TerminalSanitizer.sanitize($0) }.joined(separator: "\n") + "\n")
            output.write(output.bold("Prompt") + "\n")
            output.writeModelText(request.messages.map { "\($0.role): \($0.text)" }.joined(separator: "\n") + "\n")
            if let result = entry.result {
                output.write(
                    output.bold("Answer") + output.dim(" · \(result.provider) · \(result.model) · ")
                        + output.dim(OutboxCommand.timestamp(result.completedAt)) + "\n")
                output.writeModelText(result.text + "\n")
            }
        }
    }

    /// `switchboard outbox sync`.
    struct Sync: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sync",
            abstract: "Send the queued requests now, if the external providers can be reached.",
            discussion: """
                Probes the external providers first; offline, sends nothing and exits 5. Otherwise sends every \
                pending request (also those waiting for a retry), highest priority and oldest first, within the \
                configured rate limits and budgets, and stores each answer. Exits 1 when another switchboard is \
                syncing the same outbox.
                """)

        @Flag(name: .long, help: "Print a JSON object instead of lines.")
        var json = false

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let environment = CommandEnvironment(verbose: global.verbose, debug: global.debug)
            let configuration = try environment.loadConfiguration()
            let output = environment.output
            try await withLLMClient(configuration: configuration, logger: environment.logger) { client in
                let mode = await client.connectivity.checkNow()
                let reachability = client.connectivity.reachability
                // No external provider answered the probe just now: nothing can be sent.
                let unanswered = !reachability.isEmpty && reachability.allSatisfy { $0.consecutiveNetworkFailures > 0 }
                if mode == .offline || unanswered {
                    let waiting = try await client.outbox.entries().count { $0.state == .pending }
                    output.writeError("offline — \(waiting) queued request(s) wait; nothing was sent\n")
                    throw ExitCode(ExitStatus.networkError.rawValue)
                }
                let report = try await client.outbox.drain(ignoringRetryTimes: true)
                if report.busy {
                    output.writeError("switchboard: another process is sending the outbox; try again when it is done\n")
                    throw ExitCode(ExitStatus.failure.rawValue)
                }
                if json {
                    output.write(OutboxCommand.json(report).jsonString() + "\n")
                } else {
                    OutboxCommand.write(report, output: output)
                }
                if report.stoppedOffline {
                    output.writeError("offline — the connection was lost; \(report.remaining) request(s) wait\n")
                    throw ExitCode(ExitStatus.networkError.rawValue)
                }
            }
        }
    }

    /// `switchboard outbox rm ID`.
    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rm", abstract: "Remove a queued request (any state but in flight).")

        @Argument(help: "The ticket: 12 or #12.")
        var ticket: String

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let environment = CommandEnvironment(verbose: global.verbose, debug: global.debug)
            let ticket = try OutboxCommand.ticket(self.ticket)
            switch try await OutboxCommand.store(environment).remove(id: ticket.id) {
            case .removed:
                environment.output.write("Removed \(ticket).\n")
            case .notFound:
                throw UsageError(description: "no outbox entry \(ticket)")
            case .inFlight:
                environment.output.writeError("switchboard: \(ticket) is being sent; remove it after the sync\n")
                throw ExitCode(ExitStatus.failure.rawValue)
            }
        }
    }

    // MARK: Shared

    static func store(_ environment: CommandEnvironment) throws -> any OutboxStore {
        let configuration = try environment.loadConfiguration()
        return try configuration.offline.outbox.makeStore(dataDirectory: configuration.dataDirectory)
    }

    static func ticket(_ text: String) throws -> OutboxTicket {
        guard let ticket = OutboxTicket(text) else {
            throw UsageError(description: "'\(text)' is not a ticket; give its number, like 12 or #12")
        }
        return ticket
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    /// The prompt's start, or the answer's provider, or the error.
    static func detail(_ entry: OutboxEntry) -> String {
        switch entry.state {
        case .completed:
            return entry.result.map { "\($0.provider)/\($0.model): \(preview($0.text))" } ?? ""
        case .failed:
            return entry.lastError.map { "\($0.kind): \(preview($0.message))" } ?? ""
        case .pending, .inFlight:
            let prompt = entry.request.messages.last { $0.role == .user }?.text ?? ""
            return preview(prompt)
        }
    }

    static func preview(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return line.count > 60 ? String(line.prefix(59)) + "…" : line
    }

    static func write(_ report: OutboxDrainReport, output: TerminalOutput) {
        for ticket in report.recovered {
            output.write(output.yellow("\(ticket) was in flight when a sync stopped; sent again") + "\n")
        }
        for entry in report.completed {
            let result = entry.result.map { "\($0.provider)/\($0.model)" } ?? ""
            output.write(output.green("\(entry.ticket) completed") + output.dim(" · \(result)") + "\n")
        }
        for entry in report.retrying {
            output.write(
                output.yellow("\(entry.ticket) failed, will retry") + output.dim(" · \(entry.lastError?.message ?? "")")
                    + "\n")
        }
        for entry in report.failed {
            output.write(
                output.red("\(entry.ticket) failed") + output.dim(" · \(entry.lastError?.message ?? "")") + "\n")
        }
        output.write(
            "\(report.completed.count) completed, \(report.retrying.count) to retry, \(report.failed.count) failed, "
                + "\(report.remaining) waiting\n")
    }

    static func json(_ report: OutboxDrainReport) -> JSONValue {
        .object([
            "recovered": .array(report.recovered.map { .integer(Int($0.id)) }),
            "completed": .array(report.completed.map { json($0, full: false) }),
            "retrying": .array(report.retrying.map { json($0, full: false) }),
            "failed": .array(report.failed.map { json($0, full: false) }),
            "remaining": .integer(report.remaining),
            "stopped_offline": .bool(report.stoppedOffline),
        ])
    }

    static func json(_ entry: OutboxEntry, full: Bool) -> JSONValue {
        var object: [String: JSONValue] = [
            "ticket": .integer(Int(entry.id)), "state": .string(entry.state.rawValue),
            "priority": .string("\(entry.priority)"), "attempts": .integer(entry.attempts),
            "created_at": .string(timestamp(entry.createdAt)),
        ]
        if let retryAt = entry.retryAt { object["retry_at"] = .string(timestamp(retryAt)) }
        if let error = entry.lastError {
            object["error"] = .object(["kind": .string(error.kind), "message": .string(error.message)])
        }
        if let result = entry.result {
            var answer: [String: JSONValue] = [
                "provider": .string(result.provider.rawValue), "model": .string(result.model),
                "finish_reason": .string(result.finishReason), "completed_at": .string(timestamp(result.completedAt)),
            ]
            if full { answer["text"] = .string(result.text) }
            object["result"] = .object(answer)
        }
        if full, let data = try? JSONEncoder().encode(entry.request),
            let request = try? JSONDecoder().decode(JSONValue.self, from: data)
        {
            object["request"] = request
        }
        return .object(object)
    }
}
