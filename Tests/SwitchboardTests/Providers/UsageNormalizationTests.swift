import Foundation
import Testing

@testable import Switchboard

@Suite struct UsageNormalizationTests {
    @Test func openAIPromptTokensIncludeCachedOnesWhichAreSplitOut() throws {
        let json = #"""
            {"prompt_tokens": 2006, "completion_tokens": 300, "total_tokens": 2306,
             "prompt_tokens_details": {"cached_tokens": 1920},
             "completion_tokens_details": {"reasoning_tokens": 128}}
            """#
        let usage = try ProviderHTTP.decode(OpenAIWire.Usage.self, from: json, provider: .openAI).normalized
        #expect(usage == Usage(inputTokens: 86, cacheReadTokens: 1920, outputTokens: 300, reasoningTokens: 128))
        #expect(usage.totalInputTokens == 2006)
        #expect(usage.totalTokens == 2306)
    }

    @Test func openAIUsageWithoutDetailsDecodes() throws {
        let usage = try ProviderHTTP.decode(
            OpenAIWire.Usage.self, from: #"{"prompt_tokens": 13, "completion_tokens": 5}"#, provider: .openAI
        ).normalized
        #expect(usage == Usage(inputTokens: 13, outputTokens: 5))
    }

    @Test func anthropicReportsDisjointPartsAndOneHourWrites() throws {
        let json = #"""
            {"input_tokens": 50, "cache_read_input_tokens": 1000, "cache_creation_input_tokens": 200,
             "cache_creation": {"ephemeral_5m_input_tokens": 150, "ephemeral_1h_input_tokens": 50},
             "output_tokens": 503}
            """#
        let usage = try ProviderHTTP.decode(AnthropicWire.Usage.self, from: json, provider: .anthropic).normalized()
        #expect(
            usage
                == Usage(
                    inputTokens: 50, cacheReadTokens: 1000, cacheWriteTokens: 200, cacheWriteLongLivedTokens: 50,
                    outputTokens: 503))
        #expect(usage.totalInputTokens == 1250)
    }

    @Test func anthropicMessageDeltaOverlaysOnlyWhatItCarries() throws {
        let start = try ProviderHTTP.decode(
            AnthropicWire.Usage.self,
            from: #"{"input_tokens": 377, "cache_read_input_tokens": 10, "output_tokens": 1}"#, provider: .anthropic
        ).normalized()
        let delta = try ProviderHTTP.decode(
            AnthropicWire.Usage.self, from: #"{"output_tokens": 65}"#, provider: .anthropic)
        #expect(delta.normalized(over: start) == Usage(inputTokens: 377, cacheReadTokens: 10, outputTokens: 65))
    }

    @Test func usageAdds() {
        let sum = Usage(inputTokens: 1, cacheReadTokens: 2, outputTokens: 3) + Usage(inputTokens: 10, outputTokens: 30)
        #expect(sum == Usage(inputTokens: 11, cacheReadTokens: 2, outputTokens: 33))
    }
}
