import Switchboard

/// OpenAI chat and embeddings bodies as the core's requests.
enum OpenAIRequestTranslator {
    static func chatRequest(_ body: OpenAIChatCompletionBody) throws -> ChatRequest {
        if let n = body.n, n != 1 { throw GatewayError.invalidRequest("Only n=1 is supported.", parameter: "n") }
        var request = ChatRequest(
            messages: try body.messages.enumerated().map { index, message in try chatMessage(message, index: index) },
            maxTokens: body.maxCompletionTokens ?? body.maxTokens, temperature: body.temperature, topP: body.topP,
            stopSequences: body.stop?.values ?? [], seed: body.seed)
        request.tools = try (body.tools ?? []).enumerated().map { index, tool in
            guard tool.type == "function", let function = tool.function else {
                throw GatewayError.invalidRequest(
                    "Only tools of type 'function' are supported.", parameter: "tools[\(index)].type")
            }
            return ToolDefinition(
                name: function.name, description: function.description,
                parameters: function.parameters ?? ["type": "object", "properties": [:]], strict: function.strict)
        }
        request.toolChoice = try toolChoice(body.toolChoice)
        request.responseFormat = try responseFormat(body.responseFormat)
        if let user = body.user { request.metadata.user = user }
        return request
    }

    static func chatMessage(_ message: OpenAIInboundMessage, index: Int) throws -> ChatMessage {
        let parts = try content(message.content, index: index)
        switch message.role {
        case "system", "developer":
            return ChatMessage(role: .system, content: parts)
        case "user":
            return ChatMessage(role: .user, content: parts)
        case "assistant":
            let calls = (message.toolCalls ?? []).map {
                ToolCall(id: $0.id, name: $0.function.name, arguments: $0.function.arguments ?? "{}")
            }
            return ChatMessage(role: .assistant, content: parts, toolCalls: calls)
        case "tool":
            guard let id = message.toolCallID else {
                throw GatewayError.invalidRequest(
                    "Missing required parameter: 'messages[\(index)].tool_call_id'.",
                    parameter: "messages[\(index)].tool_call_id")
            }
            return ChatMessage(role: .tool, content: parts, toolCallID: id)
        default:
            throw GatewayError.invalidRequest(
                "Invalid value: '\(message.role)'. Supported roles are system, developer, user, assistant and tool.",
                parameter: "messages[\(index)].role")
        }
    }

    private static func content(_ content: OpenAIInboundMessage.Content?, index: Int) throws -> [ContentPart] {
        switch content {
        case nil: return []
        case .text(let text): return text.isEmpty ? [] : [.text(text)]
        case .parts(let parts):
            return try parts.enumerated().map { partIndex, part in
                switch part.type {
                case "text": return .text(part.text ?? "")
                case "image_url":
                    guard let url = part.imageURL?.url else {
                        throw GatewayError.invalidRequest(
                            "Missing image_url.url.", parameter: "messages[\(index)].content[\(partIndex)].image_url")
                    }
                    return .image(.fromURL(url))
                default:
                    throw GatewayError.invalidRequest(
                        "Content parts of type '\(part.type)' are not supported; use text and image_url.",
                        parameter: "messages[\(index)].content[\(partIndex)].type")
                }
            }
        }
    }

    private static func toolChoice(_ value: JSONValue?) throws -> ToolChoice? {
        switch value {
        case nil, .null?: return nil
        case .string("auto")?: return .auto
        case .string("none")?: return ToolChoice.none
        case .string("required")?: return .required
        case let value?:
            if let name = value["function"]?["name"]?.stringValue { return .tool(name) }
            throw GatewayError.invalidRequest("Unsupported tool_choice.", parameter: "tool_choice")
        }
    }

    private static func responseFormat(_ format: OpenAIChatCompletionBody.ResponseFormatBody?) throws -> ResponseFormat
    {
        guard let format else { return .text }
        switch format.type {
        case "text": return .text
        case "json_object": return .json
        case "json_schema":
            guard let schema = format.jsonSchema else {
                throw GatewayError.invalidRequest(
                    "Missing required parameter: 'response_format.json_schema'.",
                    parameter: "response_format.json_schema")
            }
            return .jsonSchema(
                name: schema.name ?? "response", schema: schema.schema ?? ["type": "object"],
                strict: schema.strict ?? false)
        default:
            throw GatewayError.invalidRequest(
                "Invalid value: '\(format.type)'. Supported values are text, json_object and json_schema.",
                parameter: "response_format.type")
        }
    }

    static func embeddingRequest(_ body: OpenAIEmbeddingsBody) throws -> EmbeddingRequest {
        if let format = body.encodingFormat, format != "float", format != "base64" {
            throw GatewayError.invalidRequest(
                "Invalid value: '\(format)'. Supported values are float and base64.", parameter: "encoding_format")
        }
        return EmbeddingRequest(inputs: body.input.values, dimensions: body.dimensions)
    }
}
