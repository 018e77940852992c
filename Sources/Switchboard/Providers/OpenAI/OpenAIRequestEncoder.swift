/// Builds Chat Completions and Embeddings request bodies (wire reference §2.2, §2.7).
enum OpenAIRequestEncoder {
    static func chatBody(
        _ request: ChatRequest, model: String, stream: Bool, usesLegacyMaxTokens: Bool
    ) -> JSONValue {
        var body: [String: JSONValue] = [
            "model": .string(model),
            "messages": .array(request.messages.flatMap(messages)),
        ]
        if let maxTokens = request.maxTokens {
            body[usesLegacyMaxTokens ? "max_tokens" : "max_completion_tokens"] = .integer(maxTokens)
        }
        if let temperature = request.temperature { body["temperature"] = .number(temperature) }
        if let topP = request.topP { body["top_p"] = .number(topP) }
        if !request.stopSequences.isEmpty { body["stop"] = .array(request.stopSequences.map(JSONValue.string)) }
        if let seed = request.seed { body["seed"] = .integer(seed) }
        if !request.tools.isEmpty { body["tools"] = .array(request.tools.map(tool)) }
        if let choice = request.toolChoice { body["tool_choice"] = toolChoice(choice) }
        switch request.responseFormat {
        case .text: break
        case .json: body["response_format"] = ["type": "json_object"]
        case .jsonSchema(let name, let schema, let strict):
            body["response_format"] = [
                "type": "json_schema",
                "json_schema": ["name": .string(name), "schema": schema, "strict": .bool(strict)],
            ]
        }
        if stream {
            body["stream"] = true
            body["stream_options"] = ["include_usage": true]
        }
        return .object(body)
    }

    static func embeddingsBody(_ request: EmbeddingRequest, model: String) -> JSONValue {
        var body: [String: JSONValue] = [
            "model": .string(model),
            "input": .array(request.inputs.map(JSONValue.string)),
            "encoding_format": "float",
        ]
        if let dimensions = request.dimensions { body["dimensions"] = .integer(dimensions) }
        return .object(body)
    }

    private static func messages(_ message: ChatMessage) -> [JSONValue] {
        switch message.role {
        case .system:
            return [["role": "system", "content": .string(message.text)]]
        case .user:
            let onlyText = message.content.allSatisfy { if case .text = $0 { true } else { false } }
            let content: JSONValue = onlyText ? .string(message.text) : .array(message.content.map(part))
            return [["role": "user", "content": content]]
        case .assistant:
            var object: [String: JSONValue] = ["role": "assistant"]
            object["content"] = message.text.isEmpty && !message.toolCalls.isEmpty ? .null : .string(message.text)
            if !message.toolCalls.isEmpty {
                object["tool_calls"] = .array(
                    message.toolCalls.map { call in
                        [
                            "id": .string(call.id), "type": "function",
                            "function": ["name": .string(call.name), "arguments": .string(call.arguments)],
                        ]
                    })
            }
            return [.object(object)]
        case .tool:
            return [
                ["role": "tool", "tool_call_id": .string(message.toolCallID ?? ""), "content": .string(message.text)]
            ]
        }
    }

    private static func part(_ part: ContentPart) -> JSONValue {
        switch part {
        case .text(let text):
            return ["type": "text", "text": .string(text)]
        case .image(.url(let url)):
            return ["type": "image_url", "image_url": ["url": .string(url)]]
        case .image(.base64(let data, let mediaType)):
            return ["type": "image_url", "image_url": ["url": .string("data:\(mediaType);base64,\(data)")]]
        }
    }

    private static func tool(_ tool: ToolDefinition) -> JSONValue {
        var function: [String: JSONValue] = ["name": .string(tool.name), "parameters": tool.parameters]
        if let description = tool.description { function["description"] = .string(description) }
        if let strict = tool.strict { function["strict"] = .bool(strict) }
        return ["type": "function", "function": .object(function)]
    }

    private static func toolChoice(_ choice: ToolChoice) -> JSONValue {
        switch choice {
        case .auto: "auto"
        case .none: "none"
        case .required: "required"
        case .tool(let name): ["type": "function", "function": ["name": .string(name)]]
        }
    }
}
