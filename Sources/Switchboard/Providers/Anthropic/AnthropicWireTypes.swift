/// The parts of Anthropic's responses and stream events we read (wire reference §3.3–3.7).
enum AnthropicWire {
    struct Message: Decodable {
        var id: String?
        var model: String?
        var content: [ContentBlock]?
        var stopReason: String?
        var usage: Usage?
    }

    struct ContentBlock: Decodable {
        var type: String
        var text: String?
        var id: String?
        var name: String?
        var input: JSONValue?
    }

    struct Usage: Decodable {
        var inputTokens: Int?
        var outputTokens: Int?
        var cacheReadInputTokens: Int?
        var cacheCreationInputTokens: Int?
        var cacheCreation: CacheCreation?
        var outputTokensDetails: OutputDetails?

        struct CacheCreation: Decodable {
            var ephemeral1hInputTokens: Int?

            enum CodingKeys: String, CodingKey {
                // What `convertFromSnakeCase` makes of `ephemeral_1h_input_tokens` ("1h" capitalises to "1H").
                case ephemeral1hInputTokens = "ephemeral1HInputTokens"
            }
        }

        struct OutputDetails: Decodable {
            var thinkingTokens: Int?
        }

        /// Anthropic reports fresh input, cache reads and cache writes separately already.
        func normalized(over base: Switchboard.Usage = .zero) -> Switchboard.Usage {
            Switchboard.Usage(
                inputTokens: inputTokens ?? base.inputTokens,
                cacheReadTokens: cacheReadInputTokens ?? base.cacheReadTokens,
                cacheWriteTokens: cacheCreationInputTokens ?? base.cacheWriteTokens,
                cacheWriteLongLivedTokens: cacheCreation?.ephemeral1hInputTokens ?? base.cacheWriteLongLivedTokens,
                outputTokens: outputTokens ?? base.outputTokens,
                reasoningTokens: outputTokensDetails?.thinkingTokens ?? base.reasoningTokens
            )
        }
    }

    /// Every stream event, discriminated by `type`.
    struct StreamEvent: Decodable {
        var type: String
        var message: Message?
        var index: Int?
        var contentBlock: ContentBlock?
        var delta: Delta?
        var usage: Usage?
        var error: ErrorBody?
    }

    struct Delta: Decodable {
        var type: String?
        var text: String?
        var partialJson: String?
        var stopReason: String?
    }

    struct ErrorEnvelope: Decodable {
        var error: ErrorBody?
        var requestId: String?
    }

    struct ErrorBody: Decodable {
        var type: String?
        var message: String?
    }

    struct ModelList: Decodable {
        var data: [Model]
        var hasMore: Bool?
        var lastId: String?
    }

    struct Model: Decodable {
        var id: String
        var displayName: String?
        var createdAt: String?
        var maxInputTokens: Int?
        var maxTokens: Int?
    }

    static func finishReason(_ raw: String?) -> FinishReason {
        switch raw {
        case "end_turn": .stop
        case "stop_sequence": .stopSequence
        case "max_tokens", "model_context_window_exceeded": .length
        case "tool_use": .toolCalls
        case "refusal": .contentFilter
        case "pause_turn": .paused
        default: .other
        }
    }
}
