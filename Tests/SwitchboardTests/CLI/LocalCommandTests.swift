import Foundation
import Switchboard
import SwitchboardTesting
import Testing

/// `switchboard local …` end to end: the real executable against the simulated Ollama.
@Suite(.serialized) struct LocalCommandTests {
    static func environment(_ simulator: ProviderSimulator, home: String) -> [String: String] {
        let host = simulator.baseURL(for: .ollama).replacingOccurrences(of: "http://", with: "")
        return ["OLLAMA_HOST": host, "SWITCHBOARD_HOME": home]
    }

    @Test func listShowsInstalledModels() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        try await ProviderSimulator.withSimulator { simulator in
            let table = try await CLIProcess.run(
                ["local", "list"], environment: Self.environment(simulator, home: home.path))
            #expect(table.status == 0, "stderr: \(table.stderr)")
            #expect(table.stdout.contains("llama3.2:latest"))
            #expect(table.stdout.contains("2.0 GB"))
            #expect(table.stdout.contains("Q4_K_M"))
            #expect(table.stdout.contains("3 models"))

            let json = try await CLIProcess.run(
                ["local", "list", "--json"], environment: Self.environment(simulator, home: home.path))
            #expect(json.status == 0, "stderr: \(json.stderr)")
            let models = try JSONValue.parse(json.stdout)
            #expect(models[0]?["name"] == "llama3.2:latest")
            #expect(models[0]?["size"] == 2_019_393_189)
            #expect(models[2]?["family"] == "nomic-bert")
        }
    }

    @Test func pullPrintsProgressLinesWhenNotATerminal() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        try await ProviderSimulator.withSimulator { simulator in
            let result = try await CLIProcess.run(
                ["local", "pull", "qwen2.5:0.5b"], environment: Self.environment(simulator, home: home.path))
            #expect(result.status == 0, "stderr: \(result.stderr)")
            #expect(!result.stdout.contains("\r"))
            #expect(result.stdout.contains("qwen2.5:0.5b: pulling manifest\n"))
            #expect(result.stdout.contains("qwen2.5:0.5b: 100% (397.8 MB of 397.8 MB)\n"))
            #expect(result.stdout.contains("pulled qwen2.5:0.5b (397.8 MB in"))
            let percents = result.stdout.split(separator: "\n").filter { $0.hasSuffix(" MB)") }
            #expect(percents.count >= 3)
            #expect(simulator.pullCount(for: "qwen2.5:0.5b") == 1)
            #expect(simulator.localModels.contains { $0.name == "qwen2.5:0.5b" })
        }
    }

    @Test func showAndRemove() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        try await ProviderSimulator.withSimulator { simulator in
            let environment = Self.environment(simulator, home: home.path)
            let show = try await CLIProcess.run(["local", "show", "llava", "--json"], environment: environment)
            #expect(show.status == 0, "stderr: \(show.stderr)")
            let details = try JSONValue.parse(show.stdout)
            #expect(details["name"] == "llava:latest")
            #expect(details["context_length"] == 32_768)
            #expect(details["capabilities"] == ["completion", "vision"])

            let text = try await CLIProcess.run(["local", "show", "llava"], environment: environment)
            #expect(text.stdout.contains("context length 32768"))

            let removed = try await CLIProcess.run(["local", "rm", "llava"], environment: environment)
            #expect(removed.status == 0, "stderr: \(removed.stderr)")
            #expect(removed.stdout == "removed llava\n")
            #expect(simulator.localModels.map(\.name) == ["llama3.2:latest", "nomic-embed-text:latest"])
        }
    }

    @Test func pruneDryRunUsesTheConfiguredQuotaAndRequiredModels() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        try await ProviderSimulator.withSimulator { simulator in
            let config = try home.write(
                "switchboard.yaml",
                """
                providers:
                  ollama:
                    host: \(simulator.baseURL(for: .ollama))
                    required_models: [llava]
                    storage_quota: 5.1GB
                """)
            let environment = ["SWITCHBOARD_CONFIG": config, "SWITCHBOARD_HOME": home.path]
            // 2.0 + 4.7 + 0.3 GB: llava is required, so the least recently modified of the others goes.
            let epoch = Date(timeIntervalSince1970: 1_760_000_000)
            simulator.setLocalModels([
                SimulatedLocalModel(name: "llama3.2", size: 2_019_393_189, modifiedAt: epoch),
                SimulatedLocalModel(name: "llava", size: 4_733_363_377, modifiedAt: epoch - 86_400),
                SimulatedLocalModel(name: "nomic-embed-text", size: 274_302_450, modifiedAt: epoch + 86_400),
            ])
            let dryRun = try await CLIProcess.run(["local", "prune", "--dry-run"], environment: environment)
            #expect(dryRun.status == 0, "stderr: \(dryRun.stderr)")
            #expect(dryRun.stdout.hasPrefix("would remove llama3.2:latest (2.0 GB, last used "))
            #expect(!dryRun.stdout.contains("llava"))
            #expect(simulator.localModels.count == 3)

            let json = try await CLIProcess.run(["local", "prune", "--dry-run", "--json"], environment: environment)
            let plan = try JSONValue.parse(json.stdout)
            #expect(plan["removals"]?[0]?["name"] == "llama3.2:latest")
            #expect(plan["quota"] == 5_100_000_000)
            #expect(plan["removals"]?[1] == nil)
            #expect(plan["meets_quota"] == true)

            let pruned = try await CLIProcess.run(["local", "prune"], environment: environment)
            #expect(pruned.status == 0, "stderr: \(pruned.stderr)")
            #expect(pruned.stdout.hasPrefix("removed llama3.2:latest"))
            #expect(simulator.localModels.map(\.name) == ["llava:latest", "nomic-embed-text:latest"])
        }
    }

    @Test func unknownModelExitsWithFour() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        try await ProviderSimulator.withSimulator { simulator in
            let environment = Self.environment(simulator, home: home.path)
            for command in [["pull", "no-such-model"], ["show", "no-such-model"], ["rm", "no-such-model"]] {
                let result = try await CLIProcess.run(["local"] + command, environment: environment)
                #expect(result.status == 4, "\(command): \(result.stderr)")
                #expect(result.stderr.contains("no-such-model"), "\(command): \(result.stderr)")
            }
        }
    }

    @Test func ollamaNotRunningExitsWithFive() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        for command in [["list"], ["pull", "llama3.2"]] {
            let result = try await CLIProcess.run(
                ["local"] + command, environment: ["OLLAMA_HOST": "127.0.0.1:1", "SWITCHBOARD_HOME": home.path])
            #expect(result.status == 5, "\(command): \(result.stderr)")
            #expect(result.stderr.contains("Ollama is not running at http://127.0.0.1:1"), "\(result.stderr)")
        }
    }
}
