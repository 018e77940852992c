/// Guesses whether a request without a task type is simple or complex: long prompts, reasoning
/// keywords or requested tools make it complex.
public struct ComplexityHeuristic: Hashable, Sendable {
    /// Prompts longer than this many characters are complex.
    public var complexLength: Int
    /// Words that signal multi-step reasoning (matched case-insensitively).
    public var complexKeywords: [String]
    /// Whether a request that offers tools counts as complex.
    public var toolsAreComplex: Bool

    public init(
        complexLength: Int = 2000,
        complexKeywords: [String] = [
            "step by step", "analyze", "analyse", "prove", "derive", "explain why", "compare", "reason", "plan",
            "debug", "refactor", "architecture", "trade-off", "tradeoff",
        ],
        toolsAreComplex: Bool = true
    ) {
        self.complexLength = complexLength
        self.complexKeywords = complexKeywords
        self.toolsAreComplex = toolsAreComplex
    }

    /// `.complexReasoning` or `.simpleGeneration`, with the reason.
    public func classify(_ request: ChatRequest) -> (task: TaskType, reason: String) {
        if toolsAreComplex && !request.tools.isEmpty { return (.complexReasoning, "the request offers tools") }
        let prompt = request.messages.filter { $0.role != .system }.map(\.text).joined(separator: "\n")
        if prompt.count > complexLength {
            return (.complexReasoning, "the prompt is longer than \(complexLength) characters")
        }
        let lowered = prompt.lowercased()
        if let keyword = complexKeywords.first(where: { lowered.contains($0.lowercased()) }) {
            return (.complexReasoning, "the prompt asks to \(keyword)")
        }
        return (.simpleGeneration, "a short prompt without reasoning keywords or tools")
    }
}
