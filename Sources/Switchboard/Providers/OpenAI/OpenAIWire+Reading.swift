/// Hand-written readers for the completion and stream chunk, read once per response and once per
/// streamed delta. They read what the `Decodable` conformances read; a body with an `error` member,
/// a member named twice (`JSONDecoder` keeps the first) or anything unexpected is left to
/// `JSONDecoder`.
extension OpenAIWire.ChatCompletion: JSONReadable {
    static let jsonMembers = JSONMembers<Self>([
        "id": { $0.id = try $1.readOptionalString() },
        "model": { $0.model = try $1.readOptionalString() },
        "choices": { $0.choices = try $1.readNull() ? nil : $1.readElements(OpenAIWire.Choice.self) },
        "usage": { $0.usage = try $1.readNull() ? nil : OpenAIWire.Usage(reading: &$1) },
        "error": { _, json in try json.readOnlyNull() },
    ])
}

extension OpenAIWire.Choice: JSONReadable {
    static let jsonMembers = JSONMembers<Self>([
        "index": { $0.index = try $1.readOptionalInt() },
        "message": { $0.message = try $1.readNull() ? nil : OpenAIWire.Message(reading: &$1) },
        "delta": { $0.delta = try $1.readNull() ? nil : OpenAIWire.Message(reading: &$1) },
        "finish_reason": { $0.finishReason = try $1.readOptionalString() },
    ])
}

extension OpenAIWire.Message: JSONReadable {
    static let jsonMembers = JSONMembers<Self>([
        "content": { $0.content = try $1.readOptionalString() },
        "refusal": { $0.refusal = try $1.readOptionalString() },
        "tool_calls": { $0.toolCalls = try $1.readNull() ? nil : $1.readElements(OpenAIWire.ToolCall.self) },
    ])
}

extension OpenAIWire.ToolCall: JSONReadable {
    static let jsonMembers = JSONMembers<Self>([
        "index": { $0.index = try $1.readOptionalInt() },
        "id": { $0.id = try $1.readOptionalString() },
        "function": { $0.function = try $1.readNull() ? nil : OpenAIWire.Function(reading: &$1) },
    ])
}

extension OpenAIWire.Function: JSONReadable {
    static let jsonMembers = JSONMembers<Self>([
        "name": { $0.name = try $1.readOptionalString() },
        "arguments": { $0.arguments = try $1.readOptionalString() },
    ])
}

extension OpenAIWire.Usage: JSONReadable {
    static let jsonMembers = JSONMembers<Self>([
        "prompt_tokens": { $0.promptTokens = try $1.readOptionalInt() },
        "completion_tokens": { $0.completionTokens = try $1.readOptionalInt() },
        "prompt_tokens_details": { $0.promptTokensDetails = try $1.readNull() ? nil : PromptDetails(reading: &$1) },
        "completion_tokens_details": {
            $0.completionTokensDetails = try $1.readNull() ? nil : CompletionDetails(reading: &$1)
        },
    ])
}

extension OpenAIWire.Usage.PromptDetails: JSONReadable {
    static let jsonMembers = JSONMembers<Self>([
        "cached_tokens": { $0.cachedTokens = try $1.readOptionalInt() },
        "cache_write_tokens": { $0.cacheWriteTokens = try $1.readOptionalInt() },
    ])
}

extension OpenAIWire.Usage.CompletionDetails: JSONReadable {
    static let jsonMembers = JSONMembers<Self>([
        "reasoning_tokens": { $0.reasoningTokens = try $1.readOptionalInt() }
    ])
}
