import Foundation

/// Rejects a malformed request before anything is sent, with an `invalidRequest` error that names
/// the offending field.
public struct ValidationStage: ChatMiddleware {
    /// The largest request accepted, counting text and inline images.
    public var maximumRequestBytes: Int

    public init(maximumRequestBytes: Int = 32 * 1024 * 1024) {
        self.maximumRequestBytes = maximumRequestBytes
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
        func fail(_ field: String, _ problem: String) -> ProviderError {
            ProviderError(kind: .invalidRequest, message: "\(field): \(problem)")
        }
        guard !request.messages.isEmpty else { throw fail("messages", "a request needs at least one message") }
        guard request.messages.contains(where: { $0.role != .system }) else {
            throw fail("messages", "a request needs a user message, not only system messages")
        }
        var size = 0
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
                    size += text.utf8.count
                case .image(let source):
                    guard message.role == .user else { throw fail(partField, "only user messages may hold images") }
                    size += try validateImage(source, field: partField)
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
            throw ProviderError(
                kind: .requestTooLarge,
                message: "the request holds \(size) bytes; the limit is \(maximumRequestBytes)")
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

    private func validateImage(_ source: ImageSource, field: String) throws -> Int {
        switch source {
        case .url(let url):
            let lowered = url.lowercased()
            guard lowered.hasPrefix("https://") || lowered.hasPrefix("data:image/") else {
                throw ProviderError(kind: .invalidRequest, message: "\(field): an image URL must be https:// or data:")
            }
            return url.utf8.count
        case .base64(let data, let mediaType):
            guard Self.imageMediaTypes.contains(mediaType) else {
                throw ProviderError(
                    kind: .invalidRequest,
                    message: "\(field): media type '\(mediaType)' is not one of "
                        + Self.imageMediaTypes.sorted().joined(separator: ", "))
            }
            guard !data.isEmpty, Data(base64Encoded: data) != nil else {
                throw ProviderError(kind: .invalidRequest, message: "\(field): the image data is not valid base64")
            }
            return data.utf8.count
        }
    }

    private static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count)
            && name.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == 0x5F || byte == 0x2D
            }
    }
}
