/// A request's JSON form, so it can be kept and sent later (the outbox persists requests this way).
///
/// The format is written by hand to stay stable as the types grow: every field but the messages is
/// optional when decoding and takes its default, so a request stored by an older version still
/// decodes. Content parts, tool choices and response formats are objects with a `type`.
extension ChatRequest: Codable {
    private enum CodingKeys: String, CodingKey {
        case messages, model, provider, tools, toolChoice, responseFormat, maxTokens, temperature, topP, topK
        case stopSequences, seed, metadata
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            messages: try container.decode([ChatMessage].self, forKey: .messages),
            model: try container.decodeIfPresent(String.self, forKey: .model),
            provider: try container.decodeIfPresent(ProviderID.self, forKey: .provider),
            tools: try container.decodeIfPresent([ToolDefinition].self, forKey: .tools) ?? [],
            toolChoice: try container.decodeIfPresent(ToolChoice.self, forKey: .toolChoice),
            responseFormat: try container.decodeIfPresent(ResponseFormat.self, forKey: .responseFormat) ?? .text,
            maxTokens: try container.decodeIfPresent(Int.self, forKey: .maxTokens),
            temperature: try container.decodeIfPresent(Double.self, forKey: .temperature),
            topP: try container.decodeIfPresent(Double.self, forKey: .topP),
            topK: try container.decodeIfPresent(Int.self, forKey: .topK),
            stopSequences: try container.decodeIfPresent([String].self, forKey: .stopSequences) ?? [],
            seed: try container.decodeIfPresent(Int.self, forKey: .seed),
            metadata: try container.decodeIfPresent(RequestMetadata.self, forKey: .metadata) ?? .init())
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(messages, forKey: .messages)
        try container.encodeIfPresent(model, forKey: .model)
        try container.encodeIfPresent(provider, forKey: .provider)
        if !tools.isEmpty { try container.encode(tools, forKey: .tools) }
        try container.encodeIfPresent(toolChoice, forKey: .toolChoice)
        if responseFormat != .text { try container.encode(responseFormat, forKey: .responseFormat) }
        try container.encodeIfPresent(maxTokens, forKey: .maxTokens)
        try container.encodeIfPresent(temperature, forKey: .temperature)
        try container.encodeIfPresent(topP, forKey: .topP)
        try container.encodeIfPresent(topK, forKey: .topK)
        if !stopSequences.isEmpty { try container.encode(stopSequences, forKey: .stopSequences) }
        try container.encodeIfPresent(seed, forKey: .seed)
        try container.encode(metadata, forKey: .metadata)
    }
}

extension ChatMessage: Codable {
    private enum CodingKeys: String, CodingKey {
        case role, content, toolCalls, toolCallID, isError
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            role: try container.decode(ChatRole.self, forKey: .role),
            content: try container.decodeIfPresent([ContentPart].self, forKey: .content) ?? [],
            toolCalls: try container.decodeIfPresent([ToolCall].self, forKey: .toolCalls) ?? [],
            toolCallID: try container.decodeIfPresent(String.self, forKey: .toolCallID),
            isError: try container.decodeIfPresent(Bool.self, forKey: .isError) ?? false)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(role, forKey: .role)
        try container.encode(content, forKey: .content)
        if !toolCalls.isEmpty { try container.encode(toolCalls, forKey: .toolCalls) }
        try container.encodeIfPresent(toolCallID, forKey: .toolCallID)
        if isError { try container.encode(isError, forKey: .isError) }
    }
}

extension ContentPart: Codable {
    private enum CodingKeys: String, CodingKey {
        case type, text, url, data, mediaType
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "text":
            self = .text(try container.decode(String.self, forKey: .text))
        case "image":
            if let url = try container.decodeIfPresent(String.self, forKey: .url) {
                self = .image(.url(url))
            } else {
                self = .image(
                    .base64(
                        data: try container.decode(String.self, forKey: .data),
                        mediaType: try container.decode(String.self, forKey: .mediaType)))
            }
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container, debugDescription: "unknown content part type '\(type)'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .text(let text):
            try container.encode("text", forKey: .type)
            try container.encode(text, forKey: .text)
        case .image(.url(let url)):
            try container.encode("image", forKey: .type)
            try container.encode(url, forKey: .url)
        case .image(.base64(let data, let mediaType)):
            try container.encode("image", forKey: .type)
            try container.encode(data, forKey: .data)
            try container.encode(mediaType, forKey: .mediaType)
        }
    }
}

extension ToolCall: Codable {
    private enum CodingKeys: String, CodingKey {
        case id, name, arguments, signature
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try container.decode(String.self, forKey: .id),
            name: try container.decode(String.self, forKey: .name),
            arguments: try container.decodeIfPresent(String.self, forKey: .arguments) ?? "",
            signature: try container.decodeIfPresent(String.self, forKey: .signature))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(name, forKey: .name)
        try container.encode(arguments, forKey: .arguments)
        try container.encodeIfPresent(signature, forKey: .signature)
    }
}

extension ToolDefinition: Codable {
    private enum CodingKeys: String, CodingKey {
        case name, description, parameters, strict
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try container.decode(String.self, forKey: .name),
            description: try container.decodeIfPresent(String.self, forKey: .description),
            parameters: try container.decodeIfPresent(JSONValue.self, forKey: .parameters) ?? .object([:]),
            strict: try container.decodeIfPresent(Bool.self, forKey: .strict))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encodeIfPresent(description, forKey: .description)
        try container.encode(parameters, forKey: .parameters)
        try container.encodeIfPresent(strict, forKey: .strict)
    }
}

extension ToolChoice: Codable {
    private enum CodingKeys: String, CodingKey {
        case type, name
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "auto": self = .auto
        case "none": self = .none
        case "required": self = .required
        case "tool": self = .tool(try container.decode(String.self, forKey: .name))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container, debugDescription: "unknown tool choice '\(type)'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .auto: try container.encode("auto", forKey: .type)
        case .none: try container.encode("none", forKey: .type)
        case .required: try container.encode("required", forKey: .type)
        case .tool(let name):
            try container.encode("tool", forKey: .type)
            try container.encode(name, forKey: .name)
        }
    }
}

extension ResponseFormat: Codable {
    private enum CodingKeys: String, CodingKey {
        case type, name, schema, strict
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "text": self = .text
        case "json": self = .json
        case "json_schema":
            self = .jsonSchema(
                name: try container.decode(String.self, forKey: .name),
                schema: try container.decode(JSONValue.self, forKey: .schema),
                strict: try container.decodeIfPresent(Bool.self, forKey: .strict) ?? true)
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container, debugDescription: "unknown response format '\(type)'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .text: try container.encode("text", forKey: .type)
        case .json: try container.encode("json", forKey: .type)
        case .jsonSchema(let name, let schema, let strict):
            try container.encode("json_schema", forKey: .type)
            try container.encode(name, forKey: .name)
            try container.encode(schema, forKey: .schema)
            try container.encode(strict, forKey: .strict)
        }
    }
}

extension RequestMetadata: Codable {
    private enum CodingKeys: String, CodingKey {
        case taskType, sensitivity, priority, feature, user, component, tags, maxQueueWaitMilliseconds, deferrable
        case cacheMode, cacheTags, cacheTimeToLiveMilliseconds
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            taskType: try container.decodeIfPresent(TaskType.self, forKey: .taskType),
            sensitivity: try container.decodeIfPresent(Sensitivity.self, forKey: .sensitivity) ?? .normal,
            priority: try container.decodeIfPresent(RequestPriority.self, forKey: .priority) ?? .normal,
            feature: try container.decodeIfPresent(String.self, forKey: .feature),
            user: try container.decodeIfPresent(String.self, forKey: .user),
            component: try container.decodeIfPresent(String.self, forKey: .component),
            tags: try container.decodeIfPresent([String: String].self, forKey: .tags) ?? [:],
            maxQueueWait: try container.decodeIfPresent(Int64.self, forKey: .maxQueueWaitMilliseconds)
                .map { .milliseconds($0) },
            deferrable: try container.decodeIfPresent(Bool.self, forKey: .deferrable) ?? false,
            cache: CachePolicy(
                mode: try container.decodeIfPresent(String.self, forKey: .cacheMode).map(CachePolicy.Mode.init)
                    ?? .automatic,
                tags: try container.decodeIfPresent([String].self, forKey: .cacheTags) ?? [],
                timeToLive: try container.decodeIfPresent(Int64.self, forKey: .cacheTimeToLiveMilliseconds)
                    .map { .milliseconds($0) }))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(taskType, forKey: .taskType)
        if sensitivity != .normal { try container.encode(sensitivity, forKey: .sensitivity) }
        if priority != .normal { try container.encode(priority, forKey: .priority) }
        try container.encodeIfPresent(feature, forKey: .feature)
        try container.encodeIfPresent(user, forKey: .user)
        try container.encodeIfPresent(component, forKey: .component)
        if !tags.isEmpty { try container.encode(tags, forKey: .tags) }
        if let maxQueueWait {
            try container.encode(
                maxQueueWait.components.seconds * 1000 + maxQueueWait.components.attoseconds / 1_000_000_000_000_000,
                forKey: .maxQueueWaitMilliseconds)
        }
        if deferrable { try container.encode(deferrable, forKey: .deferrable) }
        if cache.mode != .automatic { try container.encode(cache.mode.rawValue, forKey: .cacheMode) }
        if !cache.tags.isEmpty { try container.encode(cache.tags, forKey: .cacheTags) }
        if let timeToLive = cache.timeToLive {
            try container.encode(
                timeToLive.components.seconds * 1000 + timeToLive.components.attoseconds / 1_000_000_000_000_000,
                forKey: .cacheTimeToLiveMilliseconds)
        }
    }
}
