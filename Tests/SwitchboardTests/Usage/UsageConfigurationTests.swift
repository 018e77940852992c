import Foundation
import Switchboard
import Testing

/// The `usage:`, `pricing:` and `budgets:` sections of switchboard.yaml.
@Suite struct UsageConfigurationTests {
    func load(_ yaml: String) throws -> SwitchboardConfiguration {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("switchboard.yaml", yaml)
        return try SwitchboardConfiguration.load(
            environment: ["HOME": directory.path], currentDirectory: directory.path)
    }

    func error(_ yaml: String) -> ConfigurationError? {
        do {
            _ = try load(yaml)
            return nil
        } catch {
            return error as? ConfigurationError
        }
    }

    @Test func sectionsAreRead() throws {
        let configuration = try load(
            """
            usage: { time_zone: Europe/Berlin, ledger: memory, write_delay: 250ms }
            audit: { write_delay: 0 }
            pricing:
              local: { input: 0.01, output: 0.02 }
              models:
                openai/gpt-4o: { input: 2.00, cached_input: 1.00, output: 8.00 }
                local-vllm/llama3.2: { input: 0.05, output: 0.10, long_context: { above_input_tokens: 1000, input: 0.1 } }
            budgets:
              allow_cheaper_model: false
              default_max_output_tokens: 1024
              webhook: https://hooks.example.com/switchboard
              limits:
                openai-daily: { scope: provider:openai, period: daily, limit: 5.00, enforcement: hard }
                search: { scope: feature:search, period: monthly, limit: 50, enforcement: soft, alert_thresholds: [80, 50] }
            """)
        let usage = configuration.usage
        #expect(usage.timeZone.identifier == "Europe/Berlin")
        #expect(usage.ledger == .memory)
        #expect(usage.ledgerWriteDelay == .milliseconds(250))
        #expect(configuration.audit?.writeDelay == .zero)
        #expect(try load("default_provider: openai").usage.ledgerWriteDelay == .milliseconds(100))
        let calculator = CostCalculator(prices: usage.prices)
        #expect(calculator.price(provider: .openAI, model: "gpt-4o")?.output == 8)
        #expect(calculator.price(provider: .openAI, model: "gpt-4o")?.source.hasPrefix("configuration") == true)
        #expect(calculator.price(provider: "local-vllm", model: "llama3.2")?.longContext?.thresholdInputTokens == 1000)
        #expect(calculator.price(provider: .ollama, model: "llama3.2")?.input == Decimal(string: "0.01"))
        #expect(calculator.price(provider: .anthropic, model: "claude-haiku-4-5")?.input == 1)
        #expect(!usage.budgets.allowsCheaperModel)
        #expect(usage.budgets.defaultMaxOutputTokens == 1024)
        #expect(usage.budgets.webhookURL == "https://hooks.example.com/switchboard")
        let budgets = Dictionary(uniqueKeysWithValues: usage.budgets.budgets.map { ($0.name, $0) })
        #expect(budgets["openai-daily"]?.scope == .provider(.openAI))
        #expect(budgets["openai-daily"]?.limit == Money(dollars: 5))
        #expect(budgets["openai-daily"]?.period == .daily)
        #expect(budgets["search"]?.enforcement == .soft)
        #expect(budgets["search"]?.alertThresholds == [50, 80])
    }

    @Test func aLoadedConfigurationKeepsAnSQLiteLedgerByDefault() throws {
        #expect(try load("default_provider: openai").usage.ledger == .sqlite)
        #expect(SwitchboardConfiguration().usage.ledger == .none)
    }

    @Test func mistakesNameTheirKeyPath() {
        let cases: [(String, String)] = [
            ("usage: { time_zone: Mars/Olympus }", "usage.time_zone"),
            ("usage: { ledger: paper }", "usage.ledger"),
            ("usage: { colour: red }", "usage.colour"),
            ("usage: { write_delay: soon }", "usage.write_delay"),
            ("audit: { write_delay: -1s }", "audit.write_delay"),
            ("pricing: { models: { openai/x: { input: 1 } } }", "pricing.models.openai/x"),
            ("pricing: { models: { openai/x: { input: cheap, output: 1 } } }", "pricing.models.openai/x.input"),
            ("budgets: { limits: { a: { limit: 1, scope: galaxy } } }", "budgets.limits.a.scope"),
            ("budgets: { limits: { a: { limit: 1, period: weekly } } }", "budgets.limits.a.period"),
            ("budgets: { limits: { a: { limit: 1, enforcement: maybe } } }", "budgets.limits.a.enforcement"),
            ("budgets: { limits: { a: { scope: overall } } }", "budgets.limits.a.limit"),
            ("budgets: { limits: { a: { limit: 1, alert_thresholds: [0] } } }", "budgets.limits.a.alert_thresholds"),
            ("budgets: { webhook: 'ftp://x' }", "budgets.webhook"),
        ]
        for (yaml, keyPath) in cases {
            #expect(error(yaml)?.keyPath == keyPath, "\(yaml)")
        }
    }
}
