/// How fast a model produced an answer, as a local runtime (Ollama) reports it.
public struct GenerationPerformance: Hashable, Sendable {
    /// Time spent loading the model into memory before this request, if it was not loaded.
    public var loadTime: Duration?
    /// Time spent reading the prompt.
    public var promptTime: Duration?
    /// Time spent generating the answer.
    public var generationTime: Duration?
    /// The whole request as the runtime measured it.
    public var totalTime: Duration?
    public var promptTokens: Int?
    public var generatedTokens: Int?

    public init(
        loadTime: Duration? = nil, promptTime: Duration? = nil, generationTime: Duration? = nil,
        totalTime: Duration? = nil, promptTokens: Int? = nil, generatedTokens: Int? = nil
    ) {
        self.loadTime = loadTime
        self.promptTime = promptTime
        self.generationTime = generationTime
        self.totalTime = totalTime
        self.promptTokens = promptTokens
        self.generatedTokens = generatedTokens
    }

    /// Prompt tokens read per second.
    public var promptTokensPerSecond: Double? { Self.rate(promptTokens, promptTime) }
    /// Tokens generated per second.
    public var generationTokensPerSecond: Double? { Self.rate(generatedTokens, generationTime) }

    private static func rate(_ tokens: Int?, _ time: Duration?) -> Double? {
        guard let tokens, let time, time > .zero else { return nil }
        return Double(tokens) / time.seconds
    }
}
