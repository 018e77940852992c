import ArgumentParser
import Foundation
import Switchboard

/// `switchboard local …`: the models of a local Ollama server.
struct LocalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "local",
        abstract: "Manage the models of a local Ollama server.",
        discussion: """
            Uses the Ollama provider from OLLAMA_HOST or switchboard.yaml (providers.ollama), else \
            127.0.0.1:11434. Policy settings (required_models, storage_quota, …) come from the same \
            provider's configuration. Exit codes: 4 unknown model or other Ollama error, 5 Ollama not running.
            """,
        subcommands: [
            LocalList.self, LocalPS.self, LocalShow.self, LocalPull.self, LocalRemove.self, LocalUpdate.self,
            LocalPrune.self,
        ]
    )
}

/// Options every `local` subcommand takes.
struct LocalOptions: ParsableArguments {
    @Option(name: .long, help: "The Ollama provider to use, by configured name (default: the first).")
    var provider: String?

    @OptionGroup var global: GlobalOptions

    func environment() throws -> LocalModelsEnvironment {
        try LocalModelsEnvironment(verbose: global.verbose, provider: provider)
    }
}

/// `switchboard local list`.
struct LocalList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the installed models.")

    @Flag(name: .long, help: "Print a JSON array.")
    var json = false

    @OptionGroup var options: LocalOptions

    func run() async throws {
        let local = try options.environment()
        let output = local.output
        try await local.run { manager in
            let models = try await manager.installedModels()
            let usage = await manager.usageRecords()
            let required = manager.policy.requiredModels
            func lastUsed(_ model: OllamaInstalledModel) -> Date? {
                usage[OllamaModelName.normalized(model.name)]?.lastUsed
            }
            func isRequired(_ model: OllamaInstalledModel) -> Bool {
                required.contains { OllamaModelName.same($0, model.name) }
            }
            if json {
                let array = models.map { model -> JSONValue in
                    [
                        "name": .string(model.name), "size": .integer(Int(model.size)), "digest": .string(model.digest),
                        "family": model.family.map(JSONValue.string) ?? .null,
                        "parameter_size": model.parameterSize.map(JSONValue.string) ?? .null,
                        "quantization": model.quantization.map(JSONValue.string) ?? .null,
                        "modified_at": LocalDates.iso(model.modifiedAt), "last_used": LocalDates.iso(lastUsed(model)),
                        "required": .bool(isRequired(model)),
                    ]
                }
                output.write(JSONValue.array(array).jsonString() + "\n")
                return
            }
            let rows = models.map { model in
                [
                    model.name + (isRequired(model) ? " *" : ""), ByteSize.format(model.size), model.family ?? "—",
                    model.parameterSize ?? "—", model.quantization ?? "—", String(model.digest.prefix(12)),
                    LocalDates.short(model.modifiedAt), LocalDates.short(lastUsed(model)),
                ]
            }
            output.write(
                Table(
                    header: ["NAME", "SIZE", "FAMILY", "PARAMS", "QUANT", "DIGEST", "MODIFIED", "LAST USED"], rows: rows
                ).render(output: output))
            let total = models.reduce(Int64(0)) { $0 + $1.size }
            var footer = "\(models.count) models, \(ByteSize.format(total))"
            if let quota = manager.policy.storageQuota { footer += " of \(ByteSize.format(quota)) quota" }
            if models.contains(where: isRequired) { footer += "; * required" }
            output.write(output.dim(footer) + "\n")
        }
    }
}

/// `switchboard local ps`.
struct LocalPS: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ps", abstract: "List the models loaded in memory.")

    @Flag(name: .long, help: "Print a JSON array.")
    var json = false

    @OptionGroup var options: LocalOptions

    func run() async throws {
        let local = try options.environment()
        let output = local.output
        try await local.run { manager in
            let models = try await manager.loadedModels()
            if json {
                let array = models.map { model -> JSONValue in
                    [
                        "name": .string(model.name), "size": .integer(Int(model.size)),
                        "size_vram": .integer(Int(model.vramSize)),
                        "context_length": model.contextLength.map(JSONValue.integer) ?? .null,
                        "expires_at": LocalDates.iso(model.expiresAt),
                    ]
                }
                output.write(JSONValue.array(array).jsonString() + "\n")
                return
            }
            let rows = models.map { model in
                [
                    model.name, ByteSize.format(model.size), ByteSize.format(model.vramSize),
                    model.contextLength.map(String.init) ?? "—", LocalDates.short(model.expiresAt),
                ]
            }
            output.write(
                Table(header: ["NAME", "MEMORY", "VRAM", "CONTEXT", "EXPIRES"], rows: rows).render(output: output))
        }
    }
}

/// `switchboard local show NAME`.
struct LocalShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a model's details: context length, capabilities, size.")

    @Argument(help: "The model, e.g. llama3.2 or qwen2.5:0.5b.")
    var name: String

    @Flag(name: .long, help: "Print a JSON object.")
    var json = false

    @OptionGroup var options: LocalOptions

    func run() async throws {
        let local = try options.environment()
        let output = local.output
        try await local.run { manager in
            let details = try await manager.details(of: name)
            let installed = try await manager.installedModels().first { OllamaModelName.same($0.name, name) }
            let lastUsed = await manager.lastUse(of: name)
            if json {
                let object: JSONValue = [
                    "name": .string(installed?.name ?? details.name),
                    "family": details.family.map(JSONValue.string) ?? .null,
                    "parameter_size": details.parameterSize.map(JSONValue.string) ?? .null,
                    "quantization": details.quantization.map(JSONValue.string) ?? .null,
                    "context_length": details.contextLength.map(JSONValue.integer) ?? .null,
                    "capabilities": .array(details.capabilities.map(JSONValue.string)),
                    "size": installed.map { .integer(Int($0.size)) } ?? .null,
                    "digest": installed.map { .string($0.digest) } ?? .null,
                    "modified_at": LocalDates.iso(details.modifiedAt ?? installed?.modifiedAt),
                    "last_used": LocalDates.iso(lastUsed),
                ]
                output.write(object.jsonString() + "\n")
                return
            }
            let rows: [(String, String)] = [
                ("name", installed?.name ?? details.name),
                ("family", details.family ?? "—"),
                ("parameters", details.parameterSize ?? "—"),
                ("quantization", details.quantization ?? "—"),
                ("context length", details.contextLength.map(String.init) ?? "—"),
                ("capabilities", details.capabilities.isEmpty ? "—" : details.capabilities.joined(separator: ", ")),
                ("size", installed.map { ByteSize.format($0.size) } ?? "—"),
                ("digest", installed?.digest ?? "—"),
                ("modified", LocalDates.short(details.modifiedAt ?? installed?.modifiedAt)),
                ("last used", LocalDates.short(lastUsed)),
            ]
            for (label, value) in rows {
                output.write(output.bold(label.padding(toLength: 15, withPad: " ", startingAt: 0)))
                output.writeModelText(value + "\n")
            }
        }
    }
}

/// `switchboard local pull NAME`.
struct LocalPull: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull", abstract: "Download a model, with a progress bar; ^C cancels (Ollama resumes later).")

    @Argument(help: "The model, e.g. llama3.2 or qwen2.5:0.5b.")
    var name: String

    @OptionGroup var options: LocalOptions

    func run() async throws {
        let local = try options.environment()
        let output = local.output
        try await local.run { manager in
            let renderer = PullProgressRenderer(output: output, model: name)
            do {
                for try await progress in try await manager.pull(name) { renderer.update(progress) }
            } catch {
                renderer.abandon()
                throw error
            }
            renderer.finish()
        }
    }
}

/// `switchboard local rm NAME`.
struct LocalRemove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove an installed model.")

    @Argument(help: "The model to remove.")
    var name: String

    @OptionGroup var options: LocalOptions

    func run() async throws {
        let local = try options.environment()
        let output = local.output
        try await local.run { manager in
            try await manager.remove(name)
            output.write("removed \(name)\n")
        }
    }
}

/// `switchboard local update [NAME]`.
struct LocalUpdate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Re-pull a model (or every installed model) and say whether a new version arrived.",
        discussion: "Ollama downloads only changed layers; a changed manifest digest means a new version.")

    @Argument(help: "The model; default: every installed model.")
    var name: String?

    @Flag(name: .long, help: "Print a JSON array.")
    var json = false

    @OptionGroup var options: LocalOptions

    func run() async throws {
        let local = try options.environment()
        let output = local.output
        try await local.run { manager in
            let updates = try await manager.update(name)
            if json {
                let array = updates.map { update -> JSONValue in
                    [
                        "name": .string(update.model), "changed": .bool(update.changed),
                        "previous_digest": update.previousDigest.map(JSONValue.string) ?? .null,
                        "digest": update.currentDigest.map(JSONValue.string) ?? .null,
                    ]
                }
                output.write(JSONValue.array(array).jsonString() + "\n")
                return
            }
            if updates.isEmpty { output.write("no models installed\n") }
            for update in updates {
                if update.changed {
                    let from = update.previousDigest.map { String($0.prefix(12)) } ?? "not installed"
                    let to = update.currentDigest.map { String($0.prefix(12)) } ?? "—"
                    output.write("\(update.model): \(output.green("updated")) (\(from) → \(to))\n")
                } else {
                    output.write("\(update.model): up to date\n")
                }
            }
        }
    }
}

/// `switchboard local prune [--dry-run]`.
struct LocalPrune: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Remove least recently used models until the installed ones fit storage_quota.",
        discussion: "Required models (required_models) are never removed.")

    @Flag(name: .long, help: "Only show what would be removed.")
    var dryRun = false

    @Flag(name: .long, help: "Print a JSON object.")
    var json = false

    @OptionGroup var options: LocalOptions

    func run() async throws {
        let local = try options.environment()
        let output = local.output
        try await local.run { manager in
            let plan = try await manager.prune(dryRun: dryRun)
            if json {
                let object: JSONValue = [
                    "dry_run": .bool(dryRun),
                    "quota": plan.quota.map { .integer(Int($0)) } ?? .null,
                    "total_before": .integer(Int(plan.totalBefore)), "total_after": .integer(Int(plan.totalAfter)),
                    "meets_quota": .bool(plan.meetsQuota),
                    "removals": .array(
                        plan.removals.map {
                            [
                                "name": .string($0.model), "size": .integer(Int($0.size)),
                                "last_used": LocalDates.iso($0.lastUsed),
                            ]
                        }),
                ]
                output.write(object.jsonString() + "\n")
                return
            }
            guard let quota = plan.quota else {
                output.write("no storage_quota is set; nothing to prune (\(ByteSize.format(plan.totalBefore)) used)\n")
                return
            }
            if plan.removals.isEmpty {
                output.write(
                    "\(ByteSize.format(plan.totalBefore)) used of \(ByteSize.format(quota)); nothing to prune\n")
                return
            }
            let verb = dryRun ? "would remove" : "removed"
            for entry in plan.removals {
                output.write(
                    "\(verb) \(entry.model) (\(ByteSize.format(entry.size)), last used \(LocalDates.short(entry.lastUsed)))\n"
                )
            }
            output.write(
                "\(ByteSize.format(plan.totalBefore)) → \(ByteSize.format(plan.totalAfter)) of \(ByteSize.format(quota))"
                    + (plan.meetsQuota ? "" : output.yellow(" (still over: the required models alone exceed it)"))
                    + "\n")
        }
    }
}
