/// The parts of Ollama's responses we read (wire reference §5). Durations are nanoseconds.
enum OllamaWire {
    struct ChatResponse: Decodable {
        var model: String?
        var message: Message?
        var done: Bool?
        var doneReason: String?
        var totalDuration: Int64?
        var loadDuration: Int64?
        var promptEvalCount: Int?
        var promptEvalDuration: Int64?
        var evalCount: Int?
        var evalDuration: Int64?
        var error: String?

        var usage: Usage? {
            guard promptEvalCount != nil || evalCount != nil else { return nil }
            return Usage(inputTokens: promptEvalCount ?? 0, outputTokens: evalCount ?? 0)
        }

        var performance: GenerationPerformance? {
            guard totalDuration != nil || evalDuration != nil else { return nil }
            func duration(_ nanoseconds: Int64?) -> Duration? { nanoseconds.map { .nanoseconds($0) } }
            return GenerationPerformance(
                loadTime: duration(loadDuration), promptTime: duration(promptEvalDuration),
                generationTime: duration(evalDuration), totalTime: duration(totalDuration),
                promptTokens: promptEvalCount, generatedTokens: evalCount)
        }
    }

    struct Message: Decodable {
        var content: String?
        var toolCalls: [ToolCall]?
    }

    struct ToolCall: Decodable {
        var id: String?
        var function: Function?
    }

    struct Function: Decodable {
        var index: Int?
        var name: String?
        var arguments: JSONValue?
    }

    struct EmbedResponse: Decodable {
        var model: String?
        var embeddings: [[Float]]
        var promptEvalCount: Int?
    }

    struct ErrorBody: Decodable {
        var error: String?
    }

    struct TagsResponse: Decodable {
        var models: [Tag]
    }

    struct Tag: Decodable {
        var name: String?
        var model: String?
        var modifiedAt: String?
        var size: Int64?
        var digest: String?
        var details: Details?
        var capabilities: [String]?
    }

    struct Details: Decodable {
        var family: String?
        var parameterSize: String?
        var quantizationLevel: String?
    }

    struct PSResponse: Decodable {
        var models: [Loaded]
    }

    struct Loaded: Decodable {
        var name: String?
        var model: String?
        var size: Int64?
        var sizeVram: Int64?
        var digest: String?
        var expiresAt: String?
        var contextLength: Int?
    }

    struct ShowResponse: Decodable {
        var details: Details?
        var modelInfo: [String: JSONValue]?
        var capabilities: [String]?
        var modifiedAt: String?
    }

    struct PullLine: Decodable {
        var status: String?
        var digest: String?
        var total: Int64?
        var completed: Int64?
        var error: String?
    }

    struct VersionResponse: Decodable {
        var version: String
    }

    static func finishReason(_ raw: String?, sawToolCalls: Bool) -> FinishReason {
        if sawToolCalls { return .toolCalls }
        switch raw {
        case "stop", nil: return .stop
        case "length": return .length
        default: return .other
        }
    }
}
