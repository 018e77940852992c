import Switchboard

/// A hand-written reader for the common chat request (messages of text, images and tool calls, the
/// sampling settings), read once per gateway request. Requests with `tools`, `tool_choice` or
/// `response_format`, and anything the `Decodable` conformance might read differently (a member
/// named twice, a missing required member, an unexpected type), are left to `JSONDecoder`.
extension OpenAIChatCompletionBody: JSONReadable {
    init(reading json: inout JSONReader) throws {
        self.init()
        var members = JSONReader.Members()
        try json.readObject { json, key in
            if key == "model" {
                try members.claim(0)
                model = try json.readOptionalString()
            } else if key == "messages" {
                try members.claim(1)
                messages = try json.readElements(OpenAIInboundMessage.self)
            } else if key == "stream" {
                try members.claim(2)
                stream = try json.readOptionalBool()
            } else if key == "stream_options" {
                try members.claim(3)
                guard try !json.readNull() else { return }
                var options = StreamOptions()
                var optionMembers = JSONReader.Members()
                try json.readObject { json, key in
                    if key == "include_usage" {
                        try optionMembers.claim(0)
                        options.includeUsage = try json.readOptionalBool()
                    } else {
                        try json.skipValue()
                    }
                }
                streamOptions = options
            } else if key == "max_tokens" {
                try members.claim(4)
                maxTokens = try json.readOptionalInt()
            } else if key == "max_completion_tokens" {
                try members.claim(5)
                maxCompletionTokens = try json.readOptionalInt()
            } else if key == "temperature" {
                try members.claim(6)
                temperature = try json.readOptionalDouble()
            } else if key == "top_p" {
                try members.claim(7)
                topP = try json.readOptionalDouble()
            } else if key == "stop" {
                try members.claim(8)
                stop = try json.readOptionalStrings()
            } else if key == "seed" {
                try members.claim(9)
                seed = try json.readOptionalInt()
            } else if key == "user" {
                try members.claim(10)
                user = try json.readOptionalString()
            } else if key == "n" {
                try members.claim(11)
                n = try json.readOptionalInt()
            } else if key == "tools" || key == "tool_choice" || key == "response_format" {
                try members.claim(key == "tools" ? 12 : key == "tool_choice" ? 13 : 14)
                guard try json.readNull() else { throw JSONReader.Failure.unexpected(offset: 0) }
            } else {
                try json.skipValue()
            }
        }
        guard members.contains(1) else { throw JSONReader.Failure.unexpected(offset: 0) }
    }
}

extension OpenAIInboundMessage: JSONReadable {
    init(reading json: inout JSONReader) throws {
        self.init()
        var members = JSONReader.Members()
        try json.readObject { json, key in
            if key == "role" {
                try members.claim(0)
                role = try json.readString()
            } else if key == "content" {
                try members.claim(1)
                if try json.readNull() {
                    content = nil
                } else if let text = try? json.readString() {
                    content = .text(text)
                } else {
                    content = .parts(try json.readElements(Part.self))
                }
            } else if key == "tool_calls" {
                try members.claim(2)
                toolCalls = try json.readNull() ? nil : json.readElements(ToolCallBody.self)
            } else if key == "tool_call_id" {
                try members.claim(3)
                toolCallID = try json.readOptionalString()
            } else {
                try json.skipValue()
            }
        }
        guard members.contains(0) else { throw JSONReader.Failure.unexpected(offset: 0) }
    }
}

extension OpenAIInboundMessage.Part: JSONReadable {
    init(reading json: inout JSONReader) throws {
        var type: String?
        var text: String?
        var imageURL: ImageURL?
        var members = JSONReader.Members()
        try json.readObject { json, key in
            if key == "type" {
                try members.claim(0)
                type = try json.readString()
            } else if key == "text" {
                try members.claim(1)
                text = try json.readOptionalString()
            } else if key == "image_url" {
                try members.claim(2)
                guard try !json.readNull() else { return }
                var url: String?
                var urlMembers = JSONReader.Members()
                try json.readObject { json, key in
                    if key == "url" {
                        try urlMembers.claim(0)
                        url = try json.readString()
                    } else {
                        try json.skipValue()
                    }
                }
                guard let url else { throw JSONReader.Failure.unexpected(offset: 0) }
                imageURL = ImageURL(url: url)
            } else {
                try json.skipValue()
            }
        }
        guard let type else { throw JSONReader.Failure.unexpected(offset: 0) }
        self.init(type: type, text: text, imageURL: imageURL)
    }
}

extension OpenAIInboundMessage.ToolCallBody: JSONReadable {
    init(reading json: inout JSONReader) throws {
        var id: String?
        var function: Function?
        var members = JSONReader.Members()
        try json.readObject { json, key in
            if key == "id" {
                try members.claim(0)
                id = try json.readString()
            } else if key == "function" {
                try members.claim(1)
                var name: String?
                var arguments: String?
                var functionMembers = JSONReader.Members()
                try json.readObject { json, key in
                    if key == "name" {
                        try functionMembers.claim(0)
                        name = try json.readString()
                    } else if key == "arguments" {
                        try functionMembers.claim(1)
                        arguments = try json.readOptionalString()
                    } else {
                        try json.skipValue()
                    }
                }
                guard let name else { throw JSONReader.Failure.unexpected(offset: 0) }
                function = Function(name: name, arguments: arguments)
            } else {
                try json.skipValue()
            }
        }
        guard let id, let function else { throw JSONReader.Failure.unexpected(offset: 0) }
        self.init(id: id, function: function)
    }
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
