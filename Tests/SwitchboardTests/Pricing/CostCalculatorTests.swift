import Foundation
import Testing

@testable import Switchboard

/// Costs of the usage blocks recorded in the wire reference, each worked out by hand in µ$
/// (microdollars; 1 µ$ = 1,000,000 picodollars). Prices are the bundled table's (§6).
@Suite struct CostCalculatorTests {
    let calculator = CostCalculator()

    func microdollars(_ value: Decimal) -> Money { Money(dollars: value / 1_000_000) }

    @Test func openAIChatResponse() throws {
        // §2.3, gpt-4o-2024-08-06: 13 prompt (0 cached) × $2.50/M = 32.5 µ$; 5 completion × $10/M = 50 µ$.
        let usage = try ProviderHTTP.decode(
            OpenAIWire.Usage.self,
            from: #"""
                {"prompt_tokens": 13, "completion_tokens": 5, "total_tokens": 18,
                 "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
                 "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0,
                 "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}}
                """#, provider: .openAI
        ).normalized
        let cost = try #require(calculator.cost(of: usage, provider: .openAI, model: "gpt-4o-2024-08-06"))
        #expect(cost.input == microdollars(32.5))
        #expect(cost.output == microdollars(50))
        #expect(cost.total == Money(picodollars: 82_500_000))
        #expect(cost.price.model == "gpt-4o")
    }

    @Test func openAIStreamUsageChunk() throws {
        // §2.4 recorded stream: 79 × $2.50/M = 197.5 µ$ + 1 × $10/M = 10 µ$ → 207.5 µ$.
        let usage = try ProviderHTTP.decode(
            OpenAIWire.Usage.self,
            from:
                #"{"prompt_tokens":79,"completion_tokens":1,"total_tokens":80,"completion_tokens_details":{"reasoning_tokens":0}}"#,
            provider: .openAI
        ).normalized
        let cost = try #require(calculator.cost(of: usage, provider: .openAI, model: "gpt-4o-2024-08-06"))
        #expect(cost.total == microdollars(207.5))
    }

    @Test func openAICachedTokensAreNotBilledTwiceAndReasoningIsOutput() throws {
        // §1.3 shape: prompt_tokens 2006 include 1920 cached. o4-mini ($1.10 / $0.275 / $4.40):
        // 86 fresh × 1.10 = 94.6 µ$; 1920 cached × 0.275 = 528 µ$; 300 out (128 reasoning) × 4.40 = 1320 µ$.
        let usage = try ProviderHTTP.decode(
            OpenAIWire.Usage.self,
            from: #"""
                {"prompt_tokens": 2006, "completion_tokens": 300, "total_tokens": 2306,
                 "prompt_tokens_details": {"cached_tokens": 1920}, "completion_tokens_details": {"reasoning_tokens": 128}}
                """#, provider: .openAI
        ).normalized
        let cost = try #require(calculator.cost(of: usage, provider: .openAI, model: "o4-mini"))
        #expect(cost.input == microdollars(94.6))
        #expect(cost.cacheRead == microdollars(528))
        #expect(cost.output == microdollars(1320))
        #expect(cost.total == microdollars(1942.6))
        // Had the 1920 cached tokens been fresh: 1920 × (1.10 − 0.275) = 1584 µ$ more.
        #expect(cost.cacheSavings == microdollars(1584))
    }

    @Test func anthropicMessageResponse() throws {
        // §3.3, claude-sonnet-4-20250514: 2095 × $3/M = 6285 µ$; 503 × $15/M = 7545 µ$ → $0.01383.
        let usage = try ProviderHTTP.decode(
            AnthropicWire.Usage.self,
            from: #"""
                {"input_tokens": 2095, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0,
                 "cache_creation": {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 0},
                 "output_tokens": 503, "service_tier": "standard"}
                """#, provider: .anthropic
        ).normalized()
        let cost = try #require(calculator.cost(of: usage, provider: .anthropic, model: "claude-sonnet-4-20250514"))
        #expect(cost.total == Money(dollars: Decimal(string: "0.01383")!))
    }

    @Test func anthropicStreamStartAndFinalDelta() throws {
        // §3.4 tool-use stream: message_start input 377, message_delta output 65 (cumulative).
        // 377 × 3 = 1131 µ$; 65 × 15 = 975 µ$ → 2106 µ$.
        let start = try ProviderHTTP.decode(
            AnthropicWire.Usage.self,
            from:
                #"{"input_tokens":377,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1}"#,
            provider: .anthropic
        ).normalized()
        let usage = try ProviderHTTP.decode(
            AnthropicWire.Usage.self, from: #"{"output_tokens":65}"#, provider: .anthropic
        ).normalized(over: start)
        let cost = try #require(calculator.cost(of: usage, provider: .anthropic, model: "claude-sonnet-4-20250514"))
        #expect(cost.total == microdollars(2106))
    }

    @Test func anthropicCacheWritesAtTheirLifetimesPrice() throws {
        // §3.3 usage with cache parts, claude-sonnet-4-5 ($3 in, $3.75 5-min write, $6 1-h write, $0.30 read, $15 out):
        // 50 × 3 = 150; 1000 × 0.30 = 300; 150 × 3.75 = 562.5; 50 × 6 = 300; 503 × 15 = 7545 → 8857.5 µ$.
        let usage = try ProviderHTTP.decode(
            AnthropicWire.Usage.self,
            from: #"""
                {"input_tokens": 50, "cache_read_input_tokens": 1000, "cache_creation_input_tokens": 200,
                 "cache_creation": {"ephemeral_5m_input_tokens": 150, "ephemeral_1h_input_tokens": 50},
                 "output_tokens": 503}
                """#, provider: .anthropic
        ).normalized()
        let cost = try #require(calculator.cost(of: usage, provider: .anthropic, model: "claude-sonnet-4-5-20250929"))
        #expect(cost.input == microdollars(150))
        #expect(cost.cacheRead == microdollars(300))
        #expect(cost.cacheWrite == microdollars(862.5))
        #expect(cost.output == microdollars(7545))
        #expect(cost.total == microdollars(8857.5))
        #expect(cost.cacheSavings == microdollars(2700))
    }

    @Test func geminiResponse() throws {
        // §4.3, gemini-2.0-flash: 7 × $0.10/M = 0.7 µ$; 9 × $0.40/M = 3.6 µ$ → 4.3 µ$.
        let usage = try ProviderHTTP.decode(
            GeminiWire.UsageMetadata.self,
            from: #"""
                {"promptTokenCount": 7, "candidatesTokenCount": 9, "totalTokenCount": 16,
                 "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 7}]}
                """#, provider: .gemini
        ).normalized
        let cost = try #require(calculator.cost(of: usage, provider: .gemini, model: "gemini-2.0-flash"))
        #expect(cost.total == Money(picodollars: 4_300_000))
    }

    @Test func geminiThinkingTokensAreBilledAsOutput() throws {
        // §4.3 [D] gemini-2.5-pro: 8 prompt × 1.25 = 10 µ$; (12 candidates + 1171 thoughts) × $10/M = 11830 µ$.
        let usage = try ProviderHTTP.decode(
            GeminiWire.UsageMetadata.self,
            from:
                #"{"promptTokenCount": 8, "candidatesTokenCount": 12, "totalTokenCount": 1191, "thoughtsTokenCount": 1171}"#,
            provider: .gemini
        ).normalized
        let cost = try #require(calculator.cost(of: usage, provider: .gemini, model: "gemini-2.5-pro"))
        #expect(cost.output == microdollars(11830))
        #expect(cost.total == microdollars(11840))
    }

    @Test func geminiLongContextTierChosenByPromptSize() throws {
        // gemini-2.5-pro above 200k prompt tokens: $2.50 in, $0.25 cached, $15 out for the whole request.
        // 250,000 prompt incl. 50,000 cached: 200,000 × 2.50 = 500,000; 50,000 × 0.25 = 12,500; 1000 × 15 = 15,000.
        let large = try ProviderHTTP.decode(
            GeminiWire.UsageMetadata.self,
            from: #"{"promptTokenCount": 250000, "cachedContentTokenCount": 50000, "candidatesTokenCount": 1000}"#,
            provider: .gemini
        ).normalized
        let cost = try #require(calculator.cost(of: large, provider: .gemini, model: "gemini-2.5-pro"))
        #expect(cost.usedLongContextTier)
        #expect(cost.total == microdollars(527_500))
        // Exactly 200,000 is still the base tier: 200,000 × 1.25 = 250,000; 1000 × 10 = 10,000.
        let edge = Usage(inputTokens: 200_000, outputTokens: 1000)
        let base = try #require(calculator.cost(of: edge, provider: .gemini, model: "gemini-2.5-pro"))
        #expect(!base.usedLongContextTier)
        #expect(base.total == microdollars(260_000))
    }

    @Test func ollamaLocalModelIsFreeUnlessConfigured() throws {
        // §5.2: prompt_eval_count 26, eval_count 282 on a local model: no row, local → the local price.
        let decoded = try ProviderHTTP.decode(
            OllamaWire.ChatResponse.self,
            from: #"{"model":"llama3.2","done":true,"prompt_eval_count":26,"eval_count":282}"#, provider: .ollama
        ).usage
        let usage = try #require(decoded)
        let free = try #require(calculator.cost(of: usage, provider: .ollama, model: "llama3.2"))
        #expect(free.total == .zero)
        // A configured electricity cost of $0.01/M in and $0.02/M out: 0.26 + 5.64 = 5.9 µ$.
        var table = PriceTable.bundled
        table.localPrice = ModelPrice(model: "*", input: Decimal(string: "0.01")!, output: Decimal(string: "0.02")!)
        let priced = CostCalculator(prices: table)
        #expect(priced.cost(of: usage, provider: .ollama, model: "llama3.2")?.total == microdollars(5.9))
    }

    @Test func unknownModelHasUnknownCostNotZero() {
        #expect(calculator.cost(of: Usage(inputTokens: 10), provider: .openAI, model: "my-finetune") == nil)
        #expect(calculator.cost(of: Usage(inputTokens: 10), provider: "local-vllm", model: "llama3.2") == nil)
        // A lookalike is not a snapshot: gpt-4o-audio-preview is not priced as gpt-4o.
        #expect(calculator.price(provider: .openAI, model: "gpt-4o-audio-preview") == nil)
        #expect(calculator.price(provider: .openAI, model: "gpt-4o-mini-2024-07-18")?.model == "gpt-4o-mini")
        #expect(calculator.price(provider: .anthropic, model: "claude-sonnet-4-5")?.model == "claude-sonnet-4-5")
    }

    @Test func batchDiscountHalvesTheRates() throws {
        // gpt-4o batch: 1000 × 1.25 + 1000 × 5.00 = 6250 µ$.
        let cost = try #require(
            calculator.cost(
                of: Usage(inputTokens: 1000, outputTokens: 1000), provider: .openAI, model: "gpt-4o", batch: true))
        #expect(cost.total == microdollars(6250))
    }

    @Test func configuredRowsOverrideAndExtendTheBundledTable() throws {
        let custom = ModelPrice(
            provider: "local-vllm", model: "llama3.2", input: Decimal(string: "0.05")!, output: Decimal(string: "0.10")!
        )
        let cheaper = ModelPrice(provider: .openAI, model: "gpt-4o", input: 2, output: 8)
        let calculator = CostCalculator(prices: PriceTable.bundled.overlaid(with: [custom, cheaper]))
        #expect(
            calculator.cost(
                of: Usage(inputTokens: 1000, outputTokens: 1000), provider: "local-vllm", model: "llama3.2")?
                .total == microdollars(150))
        #expect(
            calculator.cost(of: Usage(inputTokens: 1000, outputTokens: 1000), provider: .openAI, model: "gpt-4o")?
                .total == microdollars(10_000))
    }

    @Test func worstCaseIsInputAtInputPriceAndMaxOutputAtOutputPrice() {
        // claude-haiku-4-5: 1000 × $1/M + 500 × $5/M = 1000 + 2500 µ$.
        #expect(
            calculator.worstCase(
                inputTokens: 1000, maxOutputTokens: 500, provider: .anthropic, model: "claude-haiku-4-5")
                == microdollars(3500))
        #expect(calculator.worstCase(inputTokens: 1, maxOutputTokens: 1, provider: .openAI, model: "nope") == nil)
    }
}

@Suite struct PriceTableTests {
    @Test func bundledTableLoadsFromTheResourceWithSourcesAndDates() throws {
        let table = try PriceTable.loadBundled()
        #expect(table.rows.count >= 30)
        #expect(table.rows.allSatisfy { !$0.source.isEmpty && $0.effectiveDate == "2026-08-21" })
        let pro = try #require(table.price(provider: .gemini, model: "gemini-2.5-pro"))
        #expect(pro.longContext?.thresholdInputTokens == 200_000)
        #expect(pro.longContext?.output == 15)
        let opus = try #require(table.price(provider: .anthropic, model: "claude-opus-4-5"))
        #expect(opus.cacheWrite == Decimal(string: "6.25"))
        #expect(opus.cacheWriteLongLived == 10)
    }

    @Test func moneyIsExactAndFormatsHalfUp() {
        let price = Money(dollars: Decimal(string: "0.01875")!)
        #expect(price.picodollars == 18_750_000_000)
        #expect(Money(picodollars: 1_234_567_500_000).formatted() == "$1.234568")
        #expect(Money(picodollars: 120_000_000).exactDecimalString == "0.00012")
        #expect(Money(picodollars: 5).times(3) == Money(picodollars: 15))
        #expect((Money(picodollars: .max) + Money(picodollars: 1)).picodollars == .max)
    }
}
