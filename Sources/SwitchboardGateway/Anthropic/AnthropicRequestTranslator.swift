import Switchboard

/// Anthropic Messages bodies as the core's chat requests.
enum AnthropicRequestTranslator {
    static func chatRequest(_ body: AnthropicMessagesBody, requireMaxTokens: Bool) throws -> ChatRequest {
        if requireMaxTokens, body.maxTokens == nil {
            throw GatewayError.invalidRequest("max_tokens: Field required", parameter: "max_tokens")
        }
        var messages: [ChatMessage] = []
        if let system = body.system {
            let text = system.blocks.compactMap(\.text).joined(separator: "\n\n")
            if !text.isEmpty { messages.append(.system(text)) }
        }
        for (index, message) in body.messages.enumerated() {
            messages += try translate(message, index: index)
        }
        var request = ChatRequest(
            messages: messages, maxTokens: body.maxTokens, temperature: body.temperature, topP: body.topP,
            topK: body.topK, stopSequences: body.stopSequences ?? [])
        request.tools = (body.tools ?? []).map {
            ToolDefinition(
                name: $0.name, description: $0.description,
                parameters: $0.inputSchema ?? ["type": "object", "properties": [:]])
        }
        request.toolChoice = try toolChoice(body.toolChoice)
        if let user = body.metadata?.userID { request.metadata.user = user }
        return request
    }

    private static func translate(_ message: AnthropicInboundMessage, index: Int) throws -> [ChatMessage] {
        let role: ChatRole
        switch message.role {
        case "user": role = .user
        case "assistant": role = .assistant
        default:
            throw GatewayError.invalidRequest(
                "messages.\(index).role: Input should be 'user' or 'assistant'", parameter: "messages.\(index).role")
        }
        var results: [ChatMessage] = []
        var parts: [ContentPart] = []
        var calls: [ToolCall] = []
        for (blockIndex, block) in message.content.blocks.enumerated() {
            let location = "messages.\(index).content.\(blockIndex)"
            switch block.type {
            case "text":
                parts.append(.text(block.text ?? ""))
            case "image":
                parts.append(.image(try image(block.source, location: location)))
            case "tool_use" where role == .assistant:
                let input = block.input ?? [:]
                calls.append(
                    ToolCall(
                        id: block.id ?? "toolu_\(blockIndex)", name: block.name ?? "", arguments: input.jsonString()))
            case "tool_result" where role == .user:
                let text = block.content?.blocks.compactMap(\.text).joined(separator: "\n") ?? ""
                results.append(
                    ChatMessage(
                        role: .tool, content: [.text(text)], toolCallID: block.toolUseID ?? "",
                        isError: block.isError ?? false))
            case "thinking", "redacted_thinking":
                continue
            default:
                throw GatewayError.invalidRequest(
                    "\(location).type: blocks of type '\(block.type)' are not supported here",
                    parameter: "\(location).type")
            }
        }
        if !parts.isEmpty || !calls.isEmpty || results.isEmpty {
            results.append(ChatMessage(role: role, content: parts, toolCalls: calls))
        }
        return results
    }

    private static func image(_ source: AnthropicInboundMessage.Block.Source?, location: String) throws -> ImageSource {
        switch source?.type {
        case "base64":
            guard let data = source?.data, let mediaType = source?.mediaType else { break }
            return .base64(data: data, mediaType: mediaType)
        case "url":
            guard let url = source?.url else { break }
            return .url(url)
        default: break
        }
        throw GatewayError.invalidRequest(
            "\(location).source: expected a base64 or url image source", parameter: "\(location).source")
    }

    private static func toolChoice(_ value: JSONValue?) throws -> ToolChoice? {
        guard let value, value != .null else { return nil }
        switch value["type"]?.stringValue {
        case "auto": return .auto
        case "any": return .required
        case "none": return ToolChoice.none
        case "tool":
            if let name = value["name"]?.stringValue { return .tool(name) }
        default: break
        }
        throw GatewayError.invalidRequest("tool_choice: unsupported value", parameter: "tool_choice")
    }
}
