/// The parts of OpenAI's responses we read (wire reference §2.3–2.5, §2.7). Every field is
/// optional so older servers and compatible servers decode too. Every type names its snake_case
/// keys itself (``ExplicitWireKeys``), so bodies decode without the key-conversion strategy.
enum OpenAIWire {
    struct ChatCompletion: Decodable, ExplicitWireKeys {
        var id: String?
        var model: String?
        var choices: [Choice]?
        var usage: Usage?
        var error: ErrorBody?
    }

    struct Choice: Decodable, ExplicitWireKeys {
        var index: Int?
        var message: Message?
        var delta: Message?
        var finishReason: String?

        enum CodingKeys: String, CodingKey {
            case index, message, delta
            case finishReason = "finish_reason"
        }
    }

    struct Message: Decodable, ExplicitWireKeys {
        var content: String?
        var refusal: String?
        var toolCalls: [ToolCall]?

        enum CodingKeys: String, CodingKey {
            case content, refusal
            case toolCalls = "tool_calls"
        }
    }

    struct ToolCall: Decodable, ExplicitWireKeys {
        var index: Int?
        var id: String?
        var function: Function?
    }

    struct Function: Decodable, ExplicitWireKeys {
        var name: String?
        var arguments: String?
    }

    struct Usage: Decodable, ExplicitWireKeys {
        var promptTokens: Int?
        var completionTokens: Int?
        var promptTokensDetails: PromptDetails?
        var completionTokensDetails: CompletionDetails?

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case completionTokens = "completion_tokens"
            case promptTokensDetails = "prompt_tokens_details"
            case completionTokensDetails = "completion_tokens_details"
        }

        struct PromptDetails: Decodable, ExplicitWireKeys {
            var cachedTokens: Int?
            var cacheWriteTokens: Int?

            enum CodingKeys: String, CodingKey {
                case cachedTokens = "cached_tokens"
                case cacheWriteTokens = "cache_write_tokens"
            }
        }

        struct CompletionDetails: Decodable, ExplicitWireKeys {
            var reasoningTokens: Int?

            enum CodingKeys: String, CodingKey {
                case reasoningTokens = "reasoning_tokens"
            }
        }

        /// Prompt tokens include cached reads and writes; split them so none is counted twice.
        var normalized: Switchboard.Usage {
            let cached = promptTokensDetails?.cachedTokens ?? 0
            let written = promptTokensDetails?.cacheWriteTokens ?? 0
            return Switchboard.Usage(
                inputTokens: max(0, (promptTokens ?? 0) - cached - written),
                cacheReadTokens: cached,
                cacheWriteTokens: written,
                outputTokens: completionTokens ?? 0,
                reasoningTokens: completionTokensDetails?.reasoningTokens ?? 0
            )
        }
    }

    struct ErrorEnvelope: Decodable, ExplicitWireKeys {
        var error: ErrorBody?
    }

    struct ErrorBody: Decodable, ExplicitWireKeys {
        var message: String?
        var type: String?
        var code: StringOrNumber?
        var param: String?
    }

    /// `code` is a string in OpenAI's errors and a number in some compatible servers'.
    struct StringOrNumber: Decodable, ExplicitWireKeys {
        var value: String
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let string = try? container.decode(String.self) {
                value = string
            } else {
                value = String(try container.decode(Int.self))
            }
        }
    }

    struct ModelList: Decodable, ExplicitWireKeys {
        var data: [Model]
    }

    struct Model: Decodable, ExplicitWireKeys {
        var id: String
        var created: Int?
        var ownedBy: String?

        enum CodingKeys: String, CodingKey {
            case id, created
            case ownedBy = "owned_by"
        }
    }

    struct EmbeddingList: Decodable, ExplicitWireKeys {
        var data: [Embedding]
        var model: String?
        var usage: Usage?
    }

    struct Embedding: Decodable, ExplicitWireKeys {
        var index: Int
        var embedding: [Float]
    }

    static func finishReason(_ raw: String?) -> FinishReason {
        switch raw {
        case "stop": .stop
        case "length": .length
        case "tool_calls", "function_call": .toolCalls
        case "content_filter": .contentFilter
        default: .other
        }
    }
}
