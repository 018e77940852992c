import Switchboard
import Testing

/// The `rate_limits:` section of switchboard.yaml.
@Suite struct RateLimitConfigurationTests {
    func load(_ yaml: String) throws -> SwitchboardConfiguration {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("switchboard.yaml", yaml)
        return try SwitchboardConfiguration.load(
            environment: ["HOME": directory.path], currentDirectory: directory.path)
    }

    @Test func sectionIsReadAndModelsInheritTheProvidersLimits() throws {
        let configuration = try load(
            """
            rate_limits:
              max_queue: 50
              max_queue_wait: 30s
              pause_without_retry_after: 2s
              default_max_output_tokens: 1024
              openai:
                requests_per_minute: 500
                tokens_per_minute: 200000
                max_concurrent: 20
                burst: 50
                models:
                  gpt-4o: { requests_per_minute: 60 }
                  gpt-4o-mini: { burst: 5 }
              anthropic:
                token_burst: 1000
                tokens_per_minute: 4000
            """)
        let limits = try #require(configuration.rateLimits)
        #expect(limits.maxQueue == 50)
        #expect(limits.maxQueueWait == .seconds(30))
        #expect(limits.pauseWithoutRetryAfter == .seconds(2))
        #expect(limits.defaultMaxOutputTokens == 1024)
        #expect(
            limits.limits(provider: .openAI, model: "o3")
                == RateLimits(requestsPerMinute: 500, tokensPerMinute: 200_000, maxConcurrent: 20, requestBurst: 50))
        // A model's own RPM comes without the provider's burst (which was sized for 500).
        #expect(
            limits.limits(provider: .openAI, model: "gpt-4o")
                == RateLimits(requestsPerMinute: 60, tokensPerMinute: 200_000, maxConcurrent: 20))
        #expect(limits.limits(provider: .openAI, model: "gpt-4o-mini").requestBurst == 5)
        #expect(limits.limits(provider: .anthropic, model: nil) == RateLimits(tokensPerMinute: 4000, tokenBurst: 1000))
        #expect(limits.limits(provider: .gemini, model: "gemini-2.5-pro").isEmpty)
    }

    @Test func absentSectionMeansNoLimiter() throws {
        #expect(try load("default_provider: openai\n").rateLimits == nil)
    }

    @Test(arguments: [
        ("rate_limits: [1]", "rate_limits", ConfigurationError.Kind.wrongType),
        ("rate_limits: { max_queue: -1 }", "rate_limits.max_queue", .invalidValue),
        ("rate_limits: { max_queue_wait: soon }", "rate_limits.max_queue_wait", .invalidValue),
        (
            "rate_limits: { openai: { requests_per_minute: 0 } }", "rate_limits.openai.requests_per_minute",
            .invalidValue
        ),
        (
            "rate_limits: { openai: { requests_per_minute: lots } }", "rate_limits.openai.requests_per_minute",
            .wrongType
        ),
        ("rate_limits: { openai: { rpm: 60 } }", "rate_limits.openai.rpm", .unknownKey),
        ("rate_limits: { openai: 60 }", "rate_limits.openai", .wrongType),
        ("rate_limits: { openai: { models: [gpt-4o] } }", "rate_limits.openai.models", .wrongType),
        (
            "rate_limits: { openai: { models: { gpt-4o: { burst: 0 } } } }", "rate_limits.openai.models.gpt-4o.burst",
            .invalidValue
        ),
        (
            "rate_limits: { openai: { models: { gpt-4o: { models: {} } } } }",
            "rate_limits.openai.models.gpt-4o.models", .unknownKey
        ),
        (
            "rate_limits: { openai: { tokens_per_minute: 100000001 } }", "rate_limits.openai.tokens_per_minute",
            .invalidValue
        ),
    ])
    func badValuesNameTheirKeyPath(yaml: String, keyPath: String, kind: ConfigurationError.Kind) throws {
        let error = #expect(throws: ConfigurationError.self) { try load(yaml) }
        #expect(error?.keyPath == keyPath)
        #expect(error?.kind == kind)
        #expect(error?.line == 1)
    }
}
