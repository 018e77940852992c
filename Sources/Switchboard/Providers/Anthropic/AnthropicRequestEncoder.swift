/// Builds Messages request bodies (wire reference §3.2): top-level `system`, tool results as
/// user turns, consecutive same-role turns merged.
enum AnthropicRequestEncoder {
    static func body(_ request: ChatRequest, model: String, defaultMaxTokens: Int, stream: Bool) -> JSONValue {
        var body: [String: JSONValue] = [
            "model": .string(model),
            "max_tokens": .integer(request.maxTokens ?? defaultMaxTokens),
            "messages": .array(messages(request.messages)),
        ]
        if let system = request.systemPrompt { body["system"] = .string(system) }
        if let temperature = request.temperature { body["temperature"] = .number(temperature) }
        if let topP = request.topP { body["top_p"] = .number(topP) }
        if let topK = request.topK { body["top_k"] = .integer(topK) }
        if !request.stopSequences.isEmpty {
            body["stop_sequences"] = .array(request.stopSequences.map(JSONValue.string))
        }
        if !request.tools.isEmpty { body["tools"] = .array(request.tools.map(tool)) }
        if let choice = request.toolChoice { body["tool_choice"] = toolChoice(choice) }
        switch request.responseFormat {
        case .text: break
        case .json:
            body["output_config"] = ["format": ["type": "json_schema", "schema": ["type": "object"]]]
        case .jsonSchema(_, let schema, _):
            body["output_config"] = ["format": ["type": "json_schema", "schema": schema]]
        }
        if let user = request.metadata.user { body["metadata"] = ["user_id": .string(user)] }
        if stream { body["stream"] = true }
        return .object(body)
    }

    private static func messages(_ messages: [ChatMessage]) -> [JSONValue] {
        var turns: [(role: String, blocks: [JSONValue])] = []
        for message in messages where message.role != .system {
            let role = message.role == .assistant ? "assistant" : "user"
            let blocks = self.blocks(message)
            if let last = turns.last, last.role == role {
                turns[turns.count - 1].blocks += blocks
            } else {
                turns.append((role, blocks))
            }
        }
        return turns.map { ["role": .string($0.role), "content": .array($0.blocks)] }
    }

    private static func blocks(_ message: ChatMessage) -> [JSONValue] {
        switch message.role {
        case .system:
            return []
        case .tool:
            var block: [String: JSONValue] = [
                "type": "tool_result", "tool_use_id": .string(message.toolCallID ?? ""),
                "content": .string(message.text),
            ]
            if message.isError { block["is_error"] = true }
            return [.object(block)]
        case .user, .assistant:
            var blocks = message.content.map(part)
            for call in message.toolCalls {
                let input = call.parsedArguments ?? [:]
                blocks.append([
                    "type": "tool_use", "id": .string(call.id), "name": .string(call.name),
                    "input": input == .null ? [:] : input,
                ])
            }
            return blocks
        }
    }

    private static func part(_ part: ContentPart) -> JSONValue {
        switch part {
        case .text(let text):
            return ["type": "text", "text": .string(text)]
        case .image(.url(let url)):
            return ["type": "image", "source": ["type": "url", "url": .string(url)]]
        case .image(.base64(let data, let mediaType)):
            return [
                "type": "image",
                "source": ["type": "base64", "media_type": .string(mediaType), "data": .string(data)],
            ]
        }
    }

    private static func tool(_ tool: ToolDefinition) -> JSONValue {
        var object: [String: JSONValue] = ["name": .string(tool.name), "input_schema": tool.parameters]
        if let description = tool.description { object["description"] = .string(description) }
        if let strict = tool.strict { object["strict"] = .bool(strict) }
        return .object(object)
    }

    private static func toolChoice(_ choice: ToolChoice) -> JSONValue {
        switch choice {
        case .auto: ["type": "auto"]
        case .none: ["type": "none"]
        case .required: ["type": "any"]
        case .tool(let name): ["type": "tool", "name": .string(name)]
        }
    }
}
