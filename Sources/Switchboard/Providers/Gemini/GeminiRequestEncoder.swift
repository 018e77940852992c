/// Builds `generateContent`, `batchEmbedContents` and `countTokens` bodies (wire reference §4.2, §4.5).
enum GeminiRequestEncoder {
    static func generateBody(_ request: ChatRequest, provider: ProviderID) throws -> JSONValue {
        var body: [String: JSONValue] = ["contents": .array(try contents(request.messages, provider: provider))]
        if let system = request.systemPrompt { body["systemInstruction"] = ["parts": [["text": .string(system)]]] }
        var generation: [String: JSONValue] = [:]
        if let maxTokens = request.maxTokens { generation["maxOutputTokens"] = .integer(maxTokens) }
        if let temperature = request.temperature { generation["temperature"] = .number(temperature) }
        if let topP = request.topP { generation["topP"] = .number(topP) }
        if let topK = request.topK { generation["topK"] = .integer(topK) }
        if !request.stopSequences.isEmpty {
            generation["stopSequences"] = .array(request.stopSequences.map(JSONValue.string))
        }
        if let seed = request.seed { generation["seed"] = .integer(seed) }
        switch request.responseFormat {
        case .text: break
        case .json: generation["responseMimeType"] = "application/json"
        case .jsonSchema(_, let schema, _):
            generation["responseMimeType"] = "application/json"
            generation["responseJsonSchema"] = schema
        }
        if !generation.isEmpty { body["generationConfig"] = .object(generation) }
        if !request.tools.isEmpty {
            body["tools"] = [["functionDeclarations": .array(request.tools.map(functionDeclaration))]]
        }
        if let choice = request.toolChoice {
            var config: [String: JSONValue]
            switch choice {
            case .auto: config = ["mode": "AUTO"]
            case .none: config = ["mode": "NONE"]
            case .required: config = ["mode": "ANY"]
            case .tool(let name): config = ["mode": "ANY", "allowedFunctionNames": [.string(name)]]
            }
            body["toolConfig"] = ["functionCallingConfig": .object(config)]
        }
        return .object(body)
    }

    static func batchEmbedBody(_ request: EmbeddingRequest, model: String) -> JSONValue {
        [
            "requests": .array(
                request.inputs.map { input in
                    var item: [String: JSONValue] = [
                        "model": .string(GeminiWire.resourceName(model)),
                        "content": ["parts": [["text": .string(input)]]],
                    ]
                    if let dimensions = request.dimensions { item["outputDimensionality"] = .integer(dimensions) }
                    return .object(item)
                })
        ]
    }

    private static func contents(_ messages: [ChatMessage], provider: ProviderID) throws -> [JSONValue] {
        var turns: [(role: String, parts: [JSONValue])] = []
        var toolNames: [String: String] = [:]
        for message in messages where message.role != .system {
            let role = message.role == .assistant ? "model" : "user"
            var parts: [JSONValue] = []
            switch message.role {
            case .tool:
                let id = message.toolCallID ?? ""
                let result = (try? JSONValue.parse(message.text)).flatMap { value -> JSONValue? in
                    if case .object = value { return value }
                    return nil
                }
                var response: [String: JSONValue] = [
                    "name": .string(toolNames[id] ?? id), "response": result ?? ["result": .string(message.text)],
                ]
                if !id.isEmpty { response["id"] = .string(id) }
                parts.append(["functionResponse": .object(response)])
            default:
                for part in message.content { parts.append(try self.part(part, provider: provider)) }
                for call in message.toolCalls {
                    toolNames[call.id] = call.name
                    let arguments = call.parsedArguments ?? [:]
                    var part: [String: JSONValue] = [
                        "functionCall": [
                            "id": .string(call.id), "name": .string(call.name),
                            "args": arguments == .null ? [:] : arguments,
                        ]
                    ]
                    if let signature = call.signature { part["thoughtSignature"] = .string(signature) }
                    parts.append(.object(part))
                }
            }
            if let last = turns.last, last.role == role {
                turns[turns.count - 1].parts += parts
            } else {
                turns.append((role, parts))
            }
        }
        return turns.map { ["role": .string($0.role), "parts": .array($0.parts)] }
    }

    private static func part(_ part: ContentPart, provider: ProviderID) throws -> JSONValue {
        switch part {
        case .text(let text):
            return ["text": .string(text)]
        case .image(.base64(let data, let mediaType)):
            return ["inlineData": ["mimeType": .string(mediaType), "data": .string(data)]]
        case .image(.url(let url)):
            guard url.hasPrefix("data:"), let comma = url.firstIndex(of: ","), let semicolon = url.firstIndex(of: ";")
            else {
                throw ProviderError(
                    kind: .invalidRequest, provider: provider,
                    message: "Gemini takes images as inline base64 data, not as a web URL")
            }
            let mediaType = String(url[url.index(url.startIndex, offsetBy: 5)..<semicolon])
            return [
                "inlineData": [
                    "mimeType": .string(mediaType), "data": .string(String(url[url.index(after: comma)...])),
                ]
            ]
        }
    }

    private static func functionDeclaration(_ tool: ToolDefinition) -> JSONValue {
        var declaration: [String: JSONValue] = ["name": .string(tool.name), "parametersJsonSchema": tool.parameters]
        if let description = tool.description { declaration["description"] = .string(description) }
        return .object(declaration)
    }
}
