import Switchboard
import SwitchboardTesting
import Testing

/// `switchboard status` shows the configured rate-limit buckets, as a table and in `--json`.
@Suite(.serialized, .timeLimit(.minutes(2))) struct RateLimitStatusCommandTests {
    static let yaml = """
        rate_limits:
          openai:
            requests_per_minute: 500
            tokens_per_minute: 200000
            max_concurrent: 20
            models:
              gpt-4o: { requests_per_minute: 60 }
        """

    func run(_ arguments: [String], simulator: ProviderSimulator) async throws -> CLIProcess.Result {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write("switchboard.yaml", Self.yaml)
        return try await CLIProcess.run(
            arguments,
            environment: [
                "SWITCHBOARD_CONFIG": file, "OPENAI_API_KEY": testOpenAIKey,
                "OPENAI_BASE_URL": simulator.baseURL(for: .openAI),
            ])
    }

    @Test func tableListsEveryConfiguredBucket() async throws {
        try await ProviderSimulator.withSimulator { simulator in
            let result = try await run(["status", "--no-discover"], simulator: simulator)
            #expect(result.status == 0, "stderr: \(result.stderr)")
            let lines = result.stdout.split(separator: "\n").map(String.init)
            #expect(lines.contains("Rate limits"))
            let header = try #require(lines.first { $0.hasPrefix("BUCKET") })
            #expect(header.contains("RPM") && header.contains("TOKENS LEFT") && header.contains("WAITING"))
            let model = try #require(lines.first { $0.hasPrefix("openai/gpt-4o ") })
            #expect(
                model.split(separator: " ", omittingEmptySubsequences: true).map(String.init) == [
                    "openai/gpt-4o", "60", "60", "200000", "200000", "0/20", "0",
                ])
            let provider = try #require(lines.first { $0.hasPrefix("openai/default ") })
            #expect(provider.contains(" 500 "))
            #expect(!result.stdout.contains(testOpenAIKey))
        }
    }

    @Test func jsonHasARateLimitsArray() async throws {
        try await ProviderSimulator.withSimulator { simulator in
            let result = try await run(["status", "--no-discover", "--json"], simulator: simulator)
            #expect(result.status == 0, "stderr: \(result.stderr)")
            let json = try JSONValue.parse(result.stdout)
            guard case .array(let buckets) = json["rate_limits"] else {
                Issue.record("no rate_limits array: \(result.stdout)")
                return
            }
            let model = try #require(buckets.first { $0["model"] == "gpt-4o" })
            #expect(model["provider"] == "openai")
            #expect(model["requests_per_minute"] == 60)
            #expect(model["remaining_requests"] == 60)
            #expect(model["remaining_tokens"] == 200_000)
            #expect(model["max_concurrent"] == 20)
            #expect(model["waiting"] == 0)
            #expect(model["paused_ms"] == .null)
        }
    }
}
