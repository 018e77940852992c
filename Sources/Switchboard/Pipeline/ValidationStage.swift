import Foundation

/// Rejects a malformed request before anything is sent, with an `invalidRequest` (or
/// `requestTooLarge`) error whose ``ProviderError/field`` names the offending field, like
/// `messages[3].content[1].image`.
///
/// Checks sizes and counts (``ValidationLimits``), that text holds no NUL character (Swift strings
/// are valid Unicode by construction, so invalid UTF-8 cannot reach this stage: the gateway and
/// decoders refuse it), roles and their order (for requests pinned to Anthropic or Gemini: system
/// messages only at the start, then a user message first), tool calls and their answers, and that
/// every JSON Schema (tool parameters, response format) is sane.
public struct ValidationStage: ChatMiddleware {
    /// The size and count limits.
    public var limits: ValidationLimits
    /// The wire format of each configured provider, for the per-provider role rules.
    public var providerKinds: [ProviderID: ProviderKind]

    /// The largest request accepted, counting text and inline images.
    public var maximumRequestBytes: Int {
        get { limits.maxPromptBytes }
        set { limits.maxPromptBytes = newValue }
    }

    public init(maximumRequestBytes: Int = 32 * 1024 * 1024) {
        self.limits = ValidationLimits(maxPromptBytes: maximumRequestBytes)
        self.providerKinds = [:]
    }

    public init(limits: ValidationLimits, providerKinds: [ProviderID: ProviderKind] = [:]) {
        self.limits = limits
        self.providerKinds = providerKinds
    }

    public func complete(
        _ request: ChatRequest, context: RequestContext, next: ChatHandler
    ) async throws -> ChatResponse {
        try validate(request)
        return try await next(request, context)
    }

    public func stream(
        _ request: ChatRequest, context: RequestContext, next: StreamHandler
    ) async throws -> ChatEventStream {
        try validate(request)
        return try await next(request, context)
    }

    static let imageMediaTypes: Set<String> = ["image/png", "image/jpeg", "image/gif", "image/webp"]

    /// Throws the first problem found in `request`.
    public func validate(_ request: ChatRequest) throws {
        func fail(_ field: String, _ problem: String, kind: ProviderError.Kind = .invalidRequest) -> ProviderError {
            var error = ProviderError(kind: kind, message: "\(field): \(problem)")
            error.field = field
            return error
        }
        guard !request.messages.isEmpty else { throw fail("messages", "a request needs at least one message") }
        guard request.messages.count <= limits.maxMessages else {
            throw fail(
                "messages", "\(request.messages.count) messages; the limit is \(limits.maxMessages)",
                kind: .requestTooLarge)
        }
        try validateRoleOrder(request, fail: fail)
        guard request.messages.contains(where: { $0.role != .system }) else {
            throw fail("messages", "a request needs a user message, not only system messages")
        }
        var size = 0
        var images = 0
        var toolCallIDs: Set<String> = []
        for (index, message) in request.messages.enumerated() {
            let field = "messages[\(index)]"
            if message.content.isEmpty && message.toolCalls.isEmpty {
                throw fail(field, "a \(message.role.rawValue) message needs content")
            }
            for (partIndex, part) in message.content.enumerated() {
                let partField = "\(field).content[\(partIndex)]"
                switch part {
                case .text(let text):
                    if text.unicodeScalars.contains("\u{0}") { throw fail(partField, "text holds a NUL character") }
                    size += text.utf8.count
                case .image(let source):
                    let imageField = partField + ".image"
                    guard message.role == .user else { throw fail(imageField, "only user messages may hold images") }
                    images += 1
                    guard images <= limits.maxImages else {
                        throw fail(imageField, "more than \(limits.maxImages) images", kind: .requestTooLarge)
                    }
                    let bytes = try validateImage(source, field: imageField)
                    guard bytes <= limits.maxImageBytes else {
                        throw fail(
                            imageField, "\(bytes) bytes; the limit per image is \(limits.maxImageBytes)",
                            kind: .requestTooLarge)
                    }
                    size += bytes
                }
            }
            switch message.role {
            case .tool:
                guard let id = message.toolCallID, !id.isEmpty else {
                    throw fail(field, "a tool message needs the id of the call it answers")
                }
                guard toolCallIDs.contains(id) else {
                    throw fail(field, "answers tool call '\(id)', which no earlier assistant message made")
                }
            case .assistant:
                for (callIndex, call) in message.toolCalls.enumerated() {
                    guard !call.id.isEmpty, !call.name.isEmpty else {
                        throw fail("\(field).toolCalls[\(callIndex)]", "a tool call needs an id and a name")
                    }
                    toolCallIDs.insert(call.id)
                    size += call.arguments.utf8.count
                }
            case .system, .user:
                guard message.toolCalls.isEmpty else {
                    throw fail(field, "only assistant messages may hold tool calls")
                }
            }
        }
        guard size <= maximumRequestBytes else {
            throw fail(
                "messages", "the request holds \(size) bytes; the limit is \(maximumRequestBytes)",
                kind: .requestTooLarge)
        }
        guard request.tools.count <= limits.maxTools else {
            throw fail(
                "tools", "\(request.tools.count) tools; the limit is \(limits.maxTools)", kind: .requestTooLarge)
        }
        var names: Set<String> = []
        for (index, tool) in request.tools.enumerated() {
            let field = "tools[\(index)]"
            guard Self.isValidName(tool.name) else {
                throw fail(field, "tool name '\(tool.name)' must be 1–64 letters, digits, '_' or '-'")
            }
            guard names.insert(tool.name).inserted else { throw fail(field, "tool name '\(tool.name)' is used twice") }
            guard case .object(let schema) = tool.parameters, schema["type"] == "object" else {
                throw fail("\(field).parameters", "must be a JSON Schema object with \"type\": \"object\"")
            }
            if let problem = JSONSchemaLint.problem(in: tool.parameters, path: "\(field).parameters") {
                throw fail(problem.field, problem.problem)
            }
        }
        switch request.toolChoice {
        case .required where request.tools.isEmpty:
            throw fail("toolChoice", "requires a tool call but the request defines no tools")
        case .tool(let name) where !names.contains(name):
            throw fail("toolChoice", "names tool '\(name)', which the request does not define")
        default: break
        }
        if case .jsonSchema(let name, let schema, _) = request.responseFormat {
            guard Self.isValidName(name) else {
                throw fail("responseFormat", "schema name '\(name)' must be 1–64 letters, digits, '_' or '-'")
            }
            guard case .object = schema else { throw fail("responseFormat", "the schema must be a JSON object") }
            if let problem = JSONSchemaLint.problem(in: schema, path: "responseFormat.schema") {
                throw fail(problem.field, problem.problem)
            }
        }
        if let maxTokens = request.maxTokens, maxTokens < 1 {
            throw fail("maxTokens", "must be at least 1, not \(maxTokens)")
        }
        if let temperature = request.temperature, !(0...2).contains(temperature) {
            throw fail("temperature", "must be between 0 and 2, not \(temperature)")
        }
        if let topP = request.topP, !(0...1).contains(topP) {
            throw fail("topP", "must be between 0 and 1, not \(topP)")
        }
        if let topK = request.topK, topK < 1 {
            throw fail("topK", "must be at least 1, not \(topK)")
        }
        if request.stopSequences.contains(where: \.isEmpty) {
            throw fail("stopSequences", "a stop sequence must not be empty")
        }
        if let model = request.model, model.isEmpty || model.contains(where: \.isNewline) {
            throw fail("model", "'\(model)' is not a model id")
        }
    }

    /// Anthropic and Gemini take the system prompt apart from the turns and want the turns to start
    /// with the user: for requests pinned to them, system messages come first and a user message next.
    private func validateRoleOrder(
        _ request: ChatRequest, fail: (String, String, ProviderError.Kind) -> ProviderError
    ) throws {
        guard let provider = request.provider, let kind = providerKinds[provider], kind == .anthropic || kind == .gemini
        else { return }
        guard let first = request.messages.firstIndex(where: { $0.role != .system }) else { return }
        guard request.messages[first].role == .user else {
            throw fail(
                "messages[\(first)].role",
                "\(kind.rawValue) needs the first message after the system prompt to be from the user",
                .invalidRequest)
        }
        if let late = request.messages[first...].firstIndex(where: { $0.role == .system }) {
            throw fail(
                "messages[\(late)].role", "\(kind.rawValue) takes system messages only before the first user message",
                .invalidRequest)
        }
    }

    private func validateImage(_ source: ImageSource, field: String) throws -> Int {
        switch source {
        case .url(let url):
            let lowered = url.lowercased()
            guard lowered.hasPrefix("https://") || lowered.hasPrefix("data:image/") else {
                throw Self.fieldError(field, "an image URL must be https:// or data:")
            }
            return url.utf8.count
        case .base64(let data, let mediaType):
            guard Self.imageMediaTypes.contains(mediaType) else {
                throw Self.fieldError(
                    field,
                    "media type '\(mediaType)' is not one of " + Self.imageMediaTypes.sorted().joined(separator: ", "))
            }
            guard !data.isEmpty, Data(base64Encoded: data) != nil else {
                throw Self.fieldError(field, "the image data is not valid base64")
            }
            return data.utf8.count
        }
    }

    private static func fieldError(_ field: String, _ problem: String) -> ProviderError {
        var error = ProviderError(kind: .invalidRequest, message: "\(field): \(problem)")
        error.field = field
        return error
    }

    private static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count)
            && name.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == 0x5F || byte == 0x2D
            }
    }
}
