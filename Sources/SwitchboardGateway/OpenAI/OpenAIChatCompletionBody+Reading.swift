import Switchboard

/// A hand-written reader for the common chat request (messages of text, images and tool calls, the
/// sampling settings), read once per gateway request. Requests with `tools`, `tool_choice` or
/// `response_format`, and anything the `Decodable` conformance might read differently (a member
/// named twice, a missing required member, an unexpected type), are left to `JSONDecoder`.
extension OpenAIChatCompletionBody: JSONReadable {
    static let jsonMembers = JSONMembers<Self>(
        [
            "model": { $0.model = try $1.readOptionalString() },
            "messages": { $0.messages = try $1.readElements(OpenAIInboundMessage.self) },
            "stream": { $0.stream = try $1.readOptionalBool() },
            "stream_options": { $0.streamOptions = try $1.readNull() ? nil : StreamOptions(reading: &$1) },
            "max_tokens": { $0.maxTokens = try $1.readOptionalInt() },
            "max_completion_tokens": { $0.maxCompletionTokens = try $1.readOptionalInt() },
            "temperature": { $0.temperature = try $1.readOptionalDouble() },
            "top_p": { $0.topP = try $1.readOptionalDouble() },
            "stop": { $0.stop = try $1.readOptionalStrings() },
            "seed": { $0.seed = try $1.readOptionalInt() },
            "user": { $0.user = try $1.readOptionalString() },
            "n": { $0.n = try $1.readOptionalInt() },
            "tools": { _, json in try json.readOnlyNull() },
            "tool_choice": { _, json in try json.readOnlyNull() },
            "response_format": { _, json in try json.readOnlyNull() },
        ], required: ["messages"])
}

extension OpenAIChatCompletionBody.StreamOptions: JSONReadable {
    static let jsonMembers = JSONMembers<Self>([
        "include_usage": { $0.includeUsage = try $1.readOptionalBool() }
    ])
}

extension OpenAIInboundMessage: JSONReadable {
    static let jsonMembers = JSONMembers<Self>(
        [
            "role": { $0.role = try $1.readString() },
            "content": { message, json in
                if try json.readNull() {
                    message.content = nil
                } else if let text = try? json.readString() {
                    message.content = .text(text)
                } else {
                    message.content = .parts(try json.readElements(Part.self))
                }
            },
            "tool_calls": { $0.toolCalls = try $1.readNull() ? nil : $1.readElements(ToolCallBody.self) },
            "tool_call_id": { $0.toolCallID = try $1.readOptionalString() },
        ], required: ["role"])
}

extension OpenAIInboundMessage.Part: JSONReadable {
    static let jsonMembers = JSONMembers<Self>(
        [
            "type": { $0.type = try $1.readString() },
            "text": { $0.text = try $1.readOptionalString() },
            "image_url": { $0.imageURL = try $1.readNull() ? nil : ImageURL(reading: &$1) },
        ], required: ["type"])
}

extension OpenAIInboundMessage.Part.ImageURL: JSONReadable {
    static let jsonMembers = JSONMembers<Self>(["url": { $0.url = try $1.readString() }], required: ["url"])
}

extension OpenAIInboundMessage.ToolCallBody: JSONReadable {
    static let jsonMembers = JSONMembers<Self>(
        [
            "id": { $0.id = try $1.readString() },
            "function": { $0.function = try Function(reading: &$1) },
        ], required: ["id", "function"])
}

extension OpenAIInboundMessage.ToolCallBody.Function: JSONReadable {
    static let jsonMembers = JSONMembers<Self>(
        [
            "name": { $0.name = try $1.readString() },
            "arguments": { $0.arguments = try $1.readOptionalString() },
        ], required: ["name"])
}

extension JSONReader {
    /// `stop`: one string or an array of them.
    fileprivate mutating func readOptionalStrings() throws -> OneOrMany<String>? {
        if try readNull() { return nil }
        if let one = try? readString() { return .one(one) }
        var many: [String] = []
        try readArray { json in many.append(try json.readString()) }
        return .many(many)
    }
}
