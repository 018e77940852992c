import Switchboard
import Testing

@Suite struct TokenEstimatorTests {
    @Test func countsTextImagesAndOverheadAtTheProvidersRatio() {
        let estimator = CharacterRatioTokenEstimator(tokensPerImage: 100, overheadPerMessage: 4)
        let request = ChatRequest(messages: [
            .system(String(repeating: "a", count: 40)),
            .user([.text(String(repeating: "b", count: 40)), .image(.url("https://example.com/x.png"))]),
        ])
        // 80 characters: 20 tokens at OpenAI's 4, 23 (rounded up) at Anthropic's 3.5; one image; two messages.
        #expect(estimator.inputTokens(for: request, provider: .openAI) == 20 + 100 + 8)
        #expect(estimator.inputTokens(for: request, provider: .anthropic) == 23 + 100 + 8)
        #expect(estimator.worstCaseTokens(for: request, provider: .openAI, defaultMaxOutput: 50) == 128 + 50)
        var capped = request
        capped.maxTokens = 10
        #expect(estimator.worstCaseTokens(for: capped, provider: .openAI) == 128 + 10)
    }

    @Test func reportedUsageCorrectsTheRatio() {
        let estimator = CharacterRatioTokenEstimator(overheadPerMessage: 0, learningRate: 0.5)
        let request = ChatRequest(messages: [.user(String(repeating: "word ", count: 200))])
        #expect(estimator.inputTokens(for: request, provider: .openAI) == 250)
        // The provider counted 500 tokens for 1,000 characters: 2 characters per token.
        for _ in 0..<20 { estimator.observe(request, provider: .openAI, actualInputTokens: 500) }
        #expect(abs(estimator.ratio(for: .openAI) - 2) < 0.01)
        #expect((499...501).contains(estimator.inputTokens(for: request, provider: .openAI)))
        // Other providers keep their own ratios; nonsense observations are ignored.
        #expect(estimator.ratio(for: .anthropic) == 3.5)
        estimator.observe(request, provider: .anthropic, actualInputTokens: 0)
        estimator.observe(ChatRequest(messages: [.user("hi")]), provider: .anthropic, actualInputTokens: 90)
        #expect(estimator.ratio(for: .anthropic) == 3.5)
    }

    @Test func toolSchemasCountAboutTheirEncodedLength() {
        let estimator = CharacterRatioTokenEstimator(defaultRatio: 1, overheadPerMessage: 0)
        let schema: JSONValue = [
            "type": "object", "properties": ["city": ["type": "string"], "days": ["type": "integer"]],
            "required": ["city"],
        ]
        let tool = ToolDefinition(name: "weather", description: "Weather", parameters: schema)
        let tokens = estimator.inputTokens(
            for: ChatRequest(messages: [], tools: [tool]), provider: ProviderID("one-char-per-token"))
        let encoded = "weather".count + "Weather".count + schema.jsonString().count
        #expect(abs(tokens - encoded) <= 4, "\(tokens) vs \(encoded)")
    }
}
