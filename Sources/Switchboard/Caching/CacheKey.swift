import Crypto

/// The identity of a request in the response cache: the SHA-256 of its canonical form.
///
/// The canonical form is JSON with sorted keys and no whitespace, built from what changes the answer:
/// the scope, the provider pin, the model (or alias), the task type, the normalised messages, the tools,
/// the tool choice, the response format and the sampling options (max tokens, temperature, top-p,
/// top-k, stop sequences, seed). Metadata such as the user, feature or tags is left out unless the
/// configuration puts it in the ``CacheScope``.
///
/// Messages are normalised so that equal conversations hash equally: line endings become `\n`, text is
/// trimmed, adjacent text parts are joined, tool-call ids are renumbered in order of appearance
/// (providers make up new ids for every answer), and tool-call arguments that are JSON are re-encoded
/// with sorted keys.
public struct CacheKey: Hashable, Sendable, CustomStringConvertible {
    /// 64 lowercase hex digits.
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    /// The key of `request` in `scope`.
    public init(request: ChatRequest, scope: CacheScope) {
        var fields = Self.fields(of: request, scope: scope)
        fields["messages"] = .array(Self.normalizedMessages(request.messages[...]))
        rawValue = Self.hash(.object(fields))
    }

    public var description: String { rawValue }

    /// The semantic partition of `request` (everything but its last message, plus the embedding
    /// model) and the text to embed (its last message), or `nil` when the last message is not a user
    /// message of plain text.
    static func semanticProbe(
        for request: ChatRequest, scope: CacheScope, embeddingModel: String
    ) -> (partition: String, text: String)? {
        guard let last = request.messages.last, last.role == .user, !last.content.isEmpty else { return nil }
        for part in last.content {
            guard case .text = part else { return nil }
        }
        let text = normalized(last.text)
        guard !text.isEmpty else { return nil }
        var fields = fields(of: request, scope: scope)
        fields["messages"] = .array(normalizedMessages(request.messages.dropLast()))
        fields["embedding"] = .string(embeddingModel)
        fields["v"] = "semantic-1"
        return (hash(.object(fields)), text)
    }

    private static func fields(of request: ChatRequest, scope: CacheScope) -> [String: JSONValue] {
        var fields: [String: JSONValue] = ["v": 1, "scope": .string(scope.rawValue)]
        fields["provider"] = request.provider.map { .string($0.rawValue) }
        fields["model"] = request.model.map(JSONValue.string)
        fields["task"] = request.metadata.taskType.map { .string($0.rawValue) }
        if !request.tools.isEmpty {
            fields["tools"] = .array(
                request.tools.map { tool in
                    var object: [String: JSONValue] = ["name": .string(tool.name), "parameters": tool.parameters]
                    object["description"] = tool.description.map(JSONValue.string)
                    object["strict"] = tool.strict.map(JSONValue.bool)
                    return .object(object)
                })
        }
        if let choice = request.toolChoice {
            let value: JSONValue =
                switch choice {
                case .auto: "auto"
                case .none: "none"
                case .required: "required"
                case .tool(let name): ["tool": .string(name)]
                }
            fields["tool_choice"] = value
        }
        switch request.responseFormat {
        case .text: break
        case .json: fields["response_format"] = "json"
        case .jsonSchema(let name, let schema, let strict):
            fields["response_format"] = ["name": .string(name), "schema": schema, "strict": .bool(strict)]
        }
        fields["max_tokens"] = request.maxTokens.map(JSONValue.integer)
        fields["temperature"] = request.temperature.map(JSONValue.number)
        fields["top_p"] = request.topP.map(JSONValue.number)
        fields["top_k"] = request.topK.map(JSONValue.integer)
        if !request.stopSequences.isEmpty { fields["stop"] = .array(request.stopSequences.map(JSONValue.string)) }
        fields["seed"] = request.seed.map(JSONValue.integer)
        return fields
    }

    private static func normalizedMessages(_ messages: ArraySlice<ChatMessage>) -> [JSONValue] {
        var callNumbers: [String: Int] = [:]
        func callID(_ id: String) -> JSONValue {
            if let number = callNumbers[id] { return .string("call_\(number)") }
            callNumbers[id] = callNumbers.count
            return .string("call_\(callNumbers.count - 1)")
        }
        return messages.map { message in
            var object: [String: JSONValue] = ["role": .string(message.role.rawValue)]
            var parts: [JSONValue] = []
            var pendingText: String?
            func flushText() {
                if let text = pendingText { parts.append(["text": .string(normalized(text))]) }
                pendingText = nil
            }
            for part in message.content {
                switch part {
                case .text(let text): pendingText = (pendingText ?? "") + text
                case .image(let source):
                    flushText()
                    switch source {
                    case .url(let url): parts.append(["image_url": .string(url)])
                    case .base64(let data, let mediaType):
                        parts.append([
                            "image_sha256": .string(Crypto.SHA256.hash(data: Array(data.utf8)).lowercaseHex),
                            "media_type": .string(mediaType),
                        ])
                    }
                }
            }
            flushText()
            object["content"] = .array(parts)
            if !message.toolCalls.isEmpty {
                object["tool_calls"] = .array(
                    message.toolCalls.map { call in
                        let arguments = (try? JSONValue.parse(call.arguments))?.jsonString() ?? call.arguments
                        return ["id": callID(call.id), "name": .string(call.name), "arguments": .string(arguments)]
                    })
            }
            object["tool_call_id"] = message.toolCallID.map(callID)
            if message.isError { object["is_error"] = true }
            return .object(object)
        }
    }

    /// Text with `\r\n` and `\r` as `\n`, trimmed of surrounding whitespace.
    static func normalized(_ text: String) -> String {
        var result = text.contains("\r") ? text.replacing("\r\n", with: "\n").replacing("\r", with: "\n") : text
        while let first = result.first, first.isWhitespace { result.removeFirst() }
        while let last = result.last, last.isWhitespace { result.removeLast() }
        return result
    }

    static func hash(_ value: JSONValue) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        value.write(into: &bytes)
        return Crypto.SHA256.hash(data: bytes).lowercaseHex
    }
}
