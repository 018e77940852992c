/// Builds `/api/chat` and `/api/embed` bodies (wire reference §5.2, §5.4, §5.5).
enum OllamaRequestEncoder {
    static func chatBody(
        _ request: ChatRequest, model: String, options: OllamaOptions, stream: Bool, provider: ProviderID
    ) throws -> JSONValue {
        var body: [String: JSONValue] = [
            "model": .string(model),
            "messages": .array(try messages(request.messages, provider: provider)),
            "stream": .bool(stream),
        ]
        let tools: [ToolDefinition]
        switch request.toolChoice {
        case .none?: tools = []
        case .tool(let name)?: tools = request.tools.filter { $0.name == name }
        default: tools = request.tools  // Ollama has no tool_choice; `auto` and `required` send the tools.
        }
        if !tools.isEmpty { body["tools"] = .array(tools.map(tool)) }
        switch request.responseFormat {
        case .text: break
        case .json: body["format"] = "json"
        case .jsonSchema(_, let schema, _): body["format"] = schema
        }
        var runtime: [String: JSONValue] = [:]
        if let maxTokens = request.maxTokens { runtime["num_predict"] = .integer(maxTokens) }
        if let temperature = request.temperature { runtime["temperature"] = .number(temperature) }
        if let topP = request.topP { runtime["top_p"] = .number(topP) }
        if let topK = request.topK { runtime["top_k"] = .integer(topK) }
        if !request.stopSequences.isEmpty { runtime["stop"] = .array(request.stopSequences.map(JSONValue.string)) }
        if let seed = request.seed { runtime["seed"] = .integer(seed) }
        runtime.merge(optionsObject(options)) { requestValue, _ in requestValue }
        if !runtime.isEmpty { body["options"] = .object(runtime) }
        if let keepAlive = options.keepAlive { body["keep_alive"] = keepAliveValue(keepAlive) }
        return .object(body)
    }

    static func embedBody(_ request: EmbeddingRequest, model: String, options: OllamaOptions) -> JSONValue {
        var body: [String: JSONValue] = [
            "model": .string(model), "input": .array(request.inputs.map(JSONValue.string)),
        ]
        if let dimensions = request.dimensions { body["dimensions"] = .integer(dimensions) }
        let runtime = optionsObject(options)
        if !runtime.isEmpty { body["options"] = .object(runtime) }
        if let keepAlive = options.keepAlive { body["keep_alive"] = keepAliveValue(keepAlive) }
        return .object(body)
    }

    static func optionsObject(_ options: OllamaOptions) -> [String: JSONValue] {
        var object: [String: JSONValue] = [:]
        if let value = options.contextLength { object["num_ctx"] = .integer(value) }
        if let value = options.threads { object["num_thread"] = .integer(value) }
        if let value = options.gpuLayers { object["num_gpu"] = .integer(value) }
        return object
    }

    /// Whole seconds go as a number, anything else (`10m`, `-1m`) as Ollama's duration string.
    static func keepAliveValue(_ value: String) -> JSONValue {
        Int(value).map(JSONValue.integer) ?? .string(value)
    }

    private static func messages(_ messages: [ChatMessage], provider: ProviderID) throws -> [JSONValue] {
        var toolNames: [String: String] = [:]
        return try messages.map { message in
            var object: [String: JSONValue] = [
                "role": .string(message.role.rawValue), "content": .string(message.text),
            ]
            var images: [JSONValue] = []
            for part in message.content {
                guard case .image(let source) = part else { continue }
                images.append(.string(try base64(source, provider: provider)))
            }
            if !images.isEmpty { object["images"] = .array(images) }
            if !message.toolCalls.isEmpty {
                object["tool_calls"] = .array(
                    message.toolCalls.map { call in
                        toolNames[call.id] = call.name
                        let arguments = call.parsedArguments ?? [:]
                        return [
                            "id": .string(call.id),
                            "function": [
                                "name": .string(call.name), "arguments": arguments == .null ? [:] : arguments,
                            ],
                        ]
                    })
            }
            if message.role == .tool, let id = message.toolCallID {
                object["tool_call_id"] = .string(id)
                if let name = toolNames[id] { object["tool_name"] = .string(name) }
            }
            return .object(object)
        }
    }

    /// Ollama takes images as bare base64; a `data:` URL is unwrapped, a web URL cannot be sent.
    private static func base64(_ source: ImageSource, provider: ProviderID) throws -> String {
        switch source {
        case .base64(let data, _):
            return data
        case .url(let url):
            guard url.hasPrefix("data:"), let comma = url.firstIndex(of: ",") else {
                throw ProviderError(
                    kind: .invalidRequest, provider: provider,
                    message: "Ollama takes images as base64 data, not as a URL to fetch")
            }
            return String(url[url.index(after: comma)...])
        }
    }

    private static func tool(_ tool: ToolDefinition) -> JSONValue {
        var function: [String: JSONValue] = ["name": .string(tool.name), "parameters": tool.parameters]
        if let description = tool.description { function["description"] = .string(description) }
        return ["type": "function", "function": .object(function)]
    }
}
