import Foundation
import Switchboard
import SwitchboardTesting
import Testing

/// The CLI offline: `ask` says who answered or which ticket it queued, `status` shows the mode, and
/// `outbox list | show | sync | rm` — the real executable against the simulators on loopback.
@Suite(.serialized, .timeLimit(.minutes(3))) struct OfflineCommandTests {
    @Test func askStatusAndOutboxWhileOfflineAndBack() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await withOfflineWorld { world in
            let config = try directory.write(
                "switchboard.yaml",
                """
                data_directory: \(directory.path)/data
                default_provider: openai
                providers:
                  openai:
                    api_key: ${OPENAI_API_KEY}
                    base_url: \(world.internet.baseURL(for: .openAI))
                    local: false
                  ollama:
                    base_url: \(world.local.baseURL(for: .ollama))
                offline:
                  failures_before_offline: 2
                """)
            let environment = [
                "SWITCHBOARD_CONFIG": config, "OPENAI_API_KEY": testOpenAIKey, "SWITCHBOARD_MAX_RETRIES": "1",
            ]
            func run(_ arguments: [String]) async throws -> CLIProcess.Result {
                try await CLIProcess.run(arguments, environment: environment)
            }

            world.internet.enqueue(.text("From the cloud."), for: .openAI)
            let online = try await run(["ask", "--no-stream", "Hello"])
            #expect(online.status == 0, "stderr: \(online.stderr)")
            #expect(online.stdout == "From the cloud.\n")
            #expect(online.stderr.isEmpty)

            await world.internet.stop()
            let local = try await run(["ask", "Hello"])
            #expect(local.status == 0, "stderr: \(local.stderr)")
            #expect(local.stdout == "Simulated reply to: Hello\n")
            #expect(local.stderr.contains("offline — answered by local model llama3.2"))

            let failed = try await run(["ask", "--provider", "openai", "Summarise the report"])
            #expect(failed.status == 5)
            #expect(failed.stderr.contains("offline"))

            let queued = try await run(["ask", "--defer", "--provider", "openai", "Summarise the report"])
            #expect(queued.status == 0, "stderr: \(queued.stderr)")
            #expect(queued.stdout.isEmpty)
            #expect(queued.stderr == "offline — queued as #1\n")

            let list = try await run(["outbox", "list"])
            #expect(list.stdout.contains("#1"))
            #expect(list.stdout.contains("pending"))
            #expect(list.stdout.contains("Summarise the report"))

            let offlineStatus = try await run(["status", "--no-discover"])
            #expect(offlineStatus.stdout.contains("Mode offline"))
            #expect(offlineStatus.stdout.contains("Outbox 1 request(s) waiting"))
            let offlineSync = try await run(["outbox", "sync"])
            #expect(offlineSync.status == 5)
            #expect(offlineSync.stderr.contains("offline — 1 queued request(s) wait"))

            try await world.internet.restart()
            world.internet.enqueue(.text("The report, summarised."), for: .openAI)
            let onlineStatus = try await run(["status", "--no-discover", "--json"])
            let status = try JSONValue.parse(onlineStatus.stdout)
            #expect(status["connectivity"]?["mode"] == "online")
            #expect(status["connectivity"]?["outbox_waiting"] == 1)

            let sync = try await run(["outbox", "sync"])
            #expect(sync.status == 0, "stderr: \(sync.stderr)")
            #expect(sync.stdout.contains("#1 completed"))
            let show = try await run(["outbox", "show", "#1"])
            #expect(show.stdout.contains("State:     completed"))
            #expect(show.stdout.contains("The report, summarised."))
            let json = try JSONValue.parse(try await run(["outbox", "show", "1", "--json"]).stdout)
            #expect(json["result"]?["text"] == "The report, summarised.")
            #expect(json["request"]?["provider"] == "openai")

            #expect(try await run(["outbox", "rm", "1"]).stdout == "Removed #1.\n")
            #expect(try await run(["outbox", "list"]).stdout == "The outbox is empty.\n")
            let missing = try await run(["outbox", "show", "1"])
            #expect(missing.status == 2)
        }
    }
}
