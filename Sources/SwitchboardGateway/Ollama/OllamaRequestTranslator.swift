import Switchboard

/// Ollama chat and generate bodies as the core's chat requests.
enum OllamaRequestTranslator {
    static func chatRequest(_ body: OllamaChatBody) throws -> ChatRequest {
        var messages: [ChatMessage] = []
        for (index, message) in (body.messages ?? []).enumerated() {
            var parts: [ContentPart] = []
            if let content = message.content, !content.isEmpty { parts.append(.text(content)) }
            parts += (message.images ?? []).map { .image(image($0)) }
            switch message.role {
            case "system": messages.append(ChatMessage(role: .system, content: parts))
            case "user": messages.append(ChatMessage(role: .user, content: parts))
            case "assistant":
                let calls = (message.toolCalls ?? []).map { call in
                    ToolCall(
                        id: call.id ?? call.function.name, name: call.function.name,
                        arguments: (call.function.arguments ?? [:]).jsonString())
                }
                messages.append(ChatMessage(role: .assistant, content: parts, toolCalls: calls))
            case "tool":
                messages.append(
                    ChatMessage(
                        role: .tool, content: parts, toolCallID: message.toolCallID ?? message.toolName ?? "tool"))
            default:
                throw GatewayError.invalidRequest("invalid role '\(message.role)' in message \(index)")
            }
        }
        guard !messages.isEmpty else { throw GatewayError.invalidRequest("messages are required") }
        var request = ChatRequest(messages: messages)
        apply(body.options, to: &request)
        request.responseFormat = format(body.format)
        request.tools = (body.tools ?? []).compactMap { tool in
            tool.function.map {
                ToolDefinition(
                    name: $0.name, description: $0.description,
                    parameters: $0.parameters ?? ["type": "object", "properties": [:]])
            }
        }
        return request
    }

    static func generateRequest(_ body: OllamaGenerateBody) throws -> ChatRequest {
        var messages: [ChatMessage] = []
        if let system = body.system, !system.isEmpty { messages.append(.system(system)) }
        var parts: [ContentPart] = []
        if let prompt = body.prompt, !prompt.isEmpty { parts.append(.text(prompt)) }
        parts += (body.images ?? []).map { .image(image($0)) }
        guard !parts.isEmpty else { throw GatewayError.invalidRequest("prompt is required") }
        messages.append(.user(parts))
        var request = ChatRequest(messages: messages)
        apply(body.options, to: &request)
        request.responseFormat = format(body.format)
        return request
    }

    private static func apply(_ options: OllamaInboundOptions?, to request: inout ChatRequest) {
        guard let options else { return }
        request.temperature = options.temperature
        request.topP = options.topP
        request.topK = options.topK
        request.maxTokens = options.numPredict.flatMap { $0 > 0 ? $0 : nil }
        request.stopSequences = options.stop ?? []
        request.seed = options.seed
    }

    private static func format(_ value: JSONValue?) -> ResponseFormat {
        switch value {
        case .string("json")?: .json
        case .object(let schema)?: .jsonSchema(name: "response", schema: .object(schema), strict: false)
        default: .text
        }
    }

    /// Ollama images are bare base64; the media type is guessed from the first bytes' encoding.
    private static func image(_ base64: String) -> ImageSource {
        if base64.hasPrefix("data:") { return .fromURL(base64) }
        let mediaType =
            base64.hasPrefix("/9j/")
            ? "image/jpeg"
            : base64.hasPrefix("R0lG")
                ? "image/gif"
                : base64.hasPrefix("UklG") ? "image/webp" : "image/png"
        return .base64(data: base64, mediaType: mediaType)
    }
}
