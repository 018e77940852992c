import Synchronization

/// Counts characters and divides by a characters-per-token ratio per provider, then corrects the
/// ratio from the input tokens providers report (an exponential moving average), so estimates for a
/// provider converge on its tokenizer without loading one.
///
/// Images count a fixed number of tokens each; every message and tool adds a small overhead, as the
/// providers' chat templates do. Text is measured in UTF-8 bytes (constant time for Swift strings):
/// the same as characters for ASCII, more for other scripts — an overestimate, the safe side for a
/// reservation, and the learned ratio corrects it.
public final class CharacterRatioTokenEstimator: TokenEstimator {
    /// Characters per token before any correction: 4 for most English text with BPE tokenizers.
    public let defaultRatio: Double
    /// Tokens counted for each image.
    public let tokensPerImage: Int
    /// Tokens added per message (role markers) and per tool definition.
    public let overheadPerMessage: Int
    /// How much one observation moves the learned ratio (0…1).
    public let learningRate: Double
    private let ratios: Mutex<[ProviderID: Double]>

    public init(
        ratios: [ProviderID: Double] = CharacterRatioTokenEstimator.typicalRatios, defaultRatio: Double = 4,
        tokensPerImage: Int = 800, overheadPerMessage: Int = 4, learningRate: Double = 0.2
    ) {
        self.defaultRatio = defaultRatio
        self.tokensPerImage = tokensPerImage
        self.overheadPerMessage = overheadPerMessage
        self.learningRate = min(max(learningRate, 0), 1)
        self.ratios = Mutex(ratios.filter { $0.value > 0 })
    }

    /// Starting ratios for the built-in providers: Anthropic's tokenizer splits English a little finer.
    public static let typicalRatios: [ProviderID: Double] = [
        .openAI: 4, .anthropic: 3.5, .gemini: 4, .ollama: 3.8,
    ]

    /// The characters-per-token ratio in use for `provider`.
    public func ratio(for provider: ProviderID) -> Double {
        ratios.withLock { $0[provider] } ?? defaultRatio
    }

    public func inputTokens(for request: ChatRequest, provider: ProviderID) -> Int {
        let shape = Self.shape(of: request)
        let text = Int((Double(shape.characters) / ratio(for: provider)).rounded(.up))
        return text + shape.images * tokensPerImage + shape.overheadItems * overheadPerMessage
    }

    public func observe(_ request: ChatRequest, provider: ProviderID, actualInputTokens: Int) {
        let shape = Self.shape(of: request)
        let textTokens = actualInputTokens - shape.images * tokensPerImage - shape.overheadItems * overheadPerMessage
        guard shape.characters >= 200, textTokens > 0 else { return }
        let observed = Double(shape.characters) / Double(textTokens)
        guard observed.isFinite, observed > 0.5, observed < 20 else { return }
        let defaultRatio = self.defaultRatio
        let rate = learningRate
        ratios.withLock { ratios in
            let current = ratios[provider] ?? defaultRatio
            ratios[provider] = current + (observed - current) * rate
        }
    }

    private static func shape(of request: ChatRequest) -> (characters: Int, images: Int, overheadItems: Int) {
        var characters = 0
        var images = 0
        for message in request.messages {
            for part in message.content {
                switch part {
                case .text(let text): characters += text.utf8.count
                case .image: images += 1
                }
            }
            for call in message.toolCalls { characters += call.name.utf8.count + call.arguments.utf8.count }
        }
        for tool in request.tools {
            characters +=
                tool.name.utf8.count + (tool.description?.utf8.count ?? 0) + encodedLength(of: tool.parameters)
        }
        return (characters, images, request.messages.count + request.tools.count)
    }

    /// About the length of `value` encoded as compact JSON, without encoding it.
    private static func encodedLength(of value: JSONValue) -> Int {
        switch value {
        case .null: 4
        case .bool(let flag): flag ? 4 : 5
        case .integer, .number: 4
        case .string(let text): text.utf8.count + 2
        case .array(let items): items.reduce(items.count + 1) { $0 + encodedLength(of: $1) }
        case .object(let members):
            members.reduce(members.count * 2 + 1) { $0 + $1.key.utf8.count + 2 + encodedLength(of: $1.value) }
        }
    }
}
