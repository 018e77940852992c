/// The parts of Gemini's responses we read (wire reference §4.3–4.7). Counts of 0 are omitted on
/// the wire, so every count defaults to 0.
enum GeminiWire {
    struct GenerateResponse: Decodable {
        var candidates: [Candidate]?
        var promptFeedback: PromptFeedback?
        var usageMetadata: UsageMetadata?
        var modelVersion: String?
        var responseId: String?
        var error: ErrorBody?
    }

    struct Candidate: Decodable {
        var content: Content?
        var finishReason: String?
    }

    struct Content: Decodable {
        var parts: [Part]?
    }

    struct Part: Decodable {
        var text: String?
        var thought: Bool?
        var functionCall: FunctionCall?
        /// Opaque; must be echoed back with the part in later turns (Gemini 2.5 and later).
        var thoughtSignature: String?
    }

    struct FunctionCall: Decodable {
        var id: String?
        var name: String?
        var args: JSONValue?
    }

    struct PromptFeedback: Decodable {
        var blockReason: String?
        var blockReasonMessage: String?
    }

    struct UsageMetadata: Decodable {
        var promptTokenCount: Int?
        var cachedContentTokenCount: Int?
        var candidatesTokenCount: Int?
        var thoughtsTokenCount: Int?

        /// The prompt count includes cached tokens, and thinking is billed as output on top of
        /// the candidates: split and add so nothing is counted twice or lost.
        var normalized: Usage {
            let cached = cachedContentTokenCount ?? 0
            let thoughts = thoughtsTokenCount ?? 0
            return Usage(
                inputTokens: max(0, (promptTokenCount ?? 0) - cached), cacheReadTokens: cached,
                outputTokens: (candidatesTokenCount ?? 0) + thoughts, reasoningTokens: thoughts)
        }
    }

    struct ErrorEnvelope: Decodable {
        var error: ErrorBody?
    }

    struct ErrorBody: Decodable {
        var code: Int?
        var message: String?
        var status: String?
        var details: [JSONValue]?
    }

    struct ModelList: Decodable {
        var models: [Model]?
        var nextPageToken: String?
    }

    struct Model: Decodable {
        var name: String
        var displayName: String?
        var inputTokenLimit: Int?
        var outputTokenLimit: Int?
        var supportedGenerationMethods: [String]?
    }

    struct BatchEmbedResponse: Decodable {
        var embeddings: [Values]
    }

    struct Values: Decodable {
        var values: [Float]
    }

    struct CountTokensResponse: Decodable {
        var totalTokens: Int
    }

    /// `gemini-2.5-flash` → `models/gemini-2.5-flash`.
    static func resourceName(_ model: String) -> String {
        model.hasPrefix("models/") || model.hasPrefix("tunedModels/") ? model : "models/" + model
    }

    static func finishReason(_ raw: String?, sawToolCalls: Bool) -> FinishReason {
        switch raw {
        case "STOP", nil: return sawToolCalls ? .toolCalls : .stop
        case "MAX_TOKENS": return .length
        case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "LANGUAGE", "IMAGE_SAFETY",
            "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION", "IMAGE_OTHER", "NO_IMAGE":
            return .contentFilter
        default: return .other
        }
    }
}
