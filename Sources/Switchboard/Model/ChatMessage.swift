/// Who wrote a message.
public enum ChatRole: String, Hashable, Sendable, Codable, CaseIterable {
    case system, user, assistant, tool
}

/// An image given to a model, by URL or inline.
public enum ImageSource: Hashable, Sendable {
    /// An `https` or `data:` URL.
    case url(String)
    /// Base64-encoded bytes and their media type (`image/png`, `image/jpeg`, `image/gif`, `image/webp`).
    case base64(data: String, mediaType: String)
}

/// One part of a message's content.
public enum ContentPart: Hashable, Sendable {
    case text(String)
    case image(ImageSource)
}

/// A call the model asks the caller to make.
public struct ToolCall: Hashable, Sendable {
    /// The provider's id for the call; a tool result refers to it.
    public var id: String
    public var name: String
    /// The arguments as a JSON text, exactly as the model produced them (it may be invalid JSON).
    public var arguments: String
    /// An opaque signature the model attached to the call (Gemini's `thoughtSignature`); it is sent back
    /// unchanged when the call is part of a later request, as the provider requires.
    public var signature: String?

    public init(id: String, name: String, arguments: String, signature: String? = nil) {
        self.id = id
        self.name = name
        self.arguments = arguments
        self.signature = signature
    }

    /// The arguments parsed as JSON, or `nil` when the model produced invalid JSON.
    public var parsedArguments: JSONValue? {
        try? JSONValue.parse(arguments)
    }
}

/// One message of a conversation.
public struct ChatMessage: Hashable, Sendable {
    public var role: ChatRole
    public var content: [ContentPart]
    /// Calls the assistant asked for (assistant messages only).
    public var toolCalls: [ToolCall]
    /// The call this message answers (tool messages only).
    public var toolCallID: String?
    /// Marks a tool result as an error (tool messages only).
    public var isError: Bool

    public init(
        role: ChatRole,
        content: [ContentPart],
        toolCalls: [ToolCall] = [],
        toolCallID: String? = nil,
        isError: Bool = false
    ) {
        self.role = role
        self.content = content
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
        self.isError = isError
    }

    public static func system(_ text: String) -> ChatMessage { .init(role: .system, content: [.text(text)]) }
    public static func user(_ text: String) -> ChatMessage { .init(role: .user, content: [.text(text)]) }
    public static func user(_ parts: [ContentPart]) -> ChatMessage { .init(role: .user, content: parts) }
    public static func assistant(_ text: String, toolCalls: [ToolCall] = []) -> ChatMessage {
        .init(role: .assistant, content: text.isEmpty ? [] : [.text(text)], toolCalls: toolCalls)
    }
    public static func tool(callID: String, _ result: String, isError: Bool = false) -> ChatMessage {
        .init(role: .tool, content: [.text(result)], toolCallID: callID, isError: isError)
    }

    /// The text parts joined together.
    public var text: String {
        content.reduce(into: "") { text, part in
            if case .text(let value) = part { text += value }
        }
    }
}
