import Foundation
import Switchboard
import SwitchboardTesting
import Testing

/// `switchboard status` end to end: the real executable against the simulator.
@Suite(.serialized, .timeLimit(.minutes(2))) struct StatusCommandTests {
    @Test func tableShowsEveryProviderAndWhyOthersAreMissing() async throws {
        try await ProviderSimulator.withSimulator { simulator in
            // A loaded CI machine can take seconds to answer; slowness is tested in HealthMonitorTests.
            let result = try await CLIProcess.run(
                ["status", "--slow-after", "60"],
                environment: [
                    "OPENAI_API_KEY": testOpenAIKey, "OPENAI_BASE_URL": simulator.baseURL(for: .openAI),
                    "OLLAMA_HOST": "127.0.0.1:\(simulator.port)",
                ])
            #expect(result.status == 0, "stderr: \(result.stderr)")
            let lines = result.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first?.hasPrefix("PROVIDER  KIND    LOCAL  STATE  LATENCY") == true)
            #expect(lines.first?.hasSuffix("CIRCUIT  DETAIL") == true)
            let openAI = try #require(lines.first { $0.hasPrefix("openai ") })
            #expect(openAI.contains(" up ") && openAI.contains(" ms ") && openAI.contains("yes"))
            let ollama = try #require(lines.first { $0.hasPrefix("ollama ") })
            #expect(ollama.contains(" up "))
            // The version when discovery's 1 s probe answered (it may not on a loaded machine), else the host.
            #expect(ollama.contains("Ollama 0.12.0") || ollama.contains("http://127.0.0.1:\(simulator.port)"))
            #expect(result.stdout.contains("Not available"))
            #expect(result.stdout.contains("anthropic: ANTHROPIC_API_KEY not set"))
            #expect(result.stdout.contains("gemini: GEMINI_API_KEY or GOOGLE_API_KEY not set"))
            #expect(!result.stdout.contains(testOpenAIKey))
        }
    }

    @Test func jsonReportsDownProvidersAndStillExitsZero() async throws {
        let port = try await closedPort()
        try await ProviderSimulator.withSimulator { simulator in
            let result = try await CLIProcess.run(
                ["status", "--json", "--timeout", "3"],
                environment: [
                    "ANTHROPIC_API_KEY": testAnthropicKey, "ANTHROPIC_BASE_URL": simulator.baseURL(for: .anthropic),
                    "OPENAI_API_KEY": testOpenAIKey, "OPENAI_BASE_URL": "http://127.0.0.1:\(port)/v1",
                    "OLLAMA_HOST": "127.0.0.1:\(port)",
                ])
            #expect(result.status == 0, "stderr: \(result.stderr)")
            let json = try JSONValue.parse(result.stdout)
            guard case .array(let providers) = json["providers"] else {
                Issue.record("no providers array: \(result.stdout)")
                return
            }
            func entry(_ name: String) -> JSONValue? { providers.first { $0["provider"] == .string(name) } }
            #expect(entry("anthropic")?["state"] == "up")
            #expect(entry("anthropic")?["kind"] == "anthropic")
            #expect(entry("anthropic")?["origin"] == "configured")
            #expect(entry("anthropic")?["circuits"] == [])
            #expect(entry("openai")?["state"] == "down")
            #expect(entry("openai")?["latency_ms"] == .null)
            #expect(entry("ollama")?["state"] == "down")
            #expect(entry("ollama")?["local"] == true)
            #expect(entry("ollama")?["reachable"] == false)
            #expect(
                json["not_available"] == [
                    ["provider": "gemini", "kind": "gemini", "reason": "GEMINI_API_KEY or GOOGLE_API_KEY not set"]
                ])
        }
    }

    @Test func nothingConfiguredExitsThree() async throws {
        let result = try await CLIProcess.run(["status", "--no-discover"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("no provider configured or found"))
        #expect(result.stdout.contains("openai: OPENAI_API_KEY not set"))

        let json = try await CLIProcess.run(["status", "--no-discover", "--json"])
        #expect(json.status == 3)
        let report = try JSONValue.parse(json.stdout)
        #expect(report["providers"] == [])
        guard case .array(let absent) = report["not_available"] else {
            Issue.record("no not_available array: \(json.stdout)")
            return
        }
        #expect(absent.count == 4)
    }

    @Test func invalidTimeoutIsAUsageError() async throws {
        let result = try await CLIProcess.run(["status", "--timeout", "0"])
        #expect(result.status == 2)
    }
}
