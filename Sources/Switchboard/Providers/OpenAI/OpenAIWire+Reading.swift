/// Hand-written readers for the completion and stream chunk, read once per response and once per
/// streamed delta. They read what the `Decodable` conformances read; a body with an `error` member,
/// a member named twice (`JSONDecoder` keeps the first) or anything unexpected is left to
/// `JSONDecoder`.
extension OpenAIWire.ChatCompletion: JSONReadable {
    init(reading json: inout JSONReader) throws {
        self.init()
        var members = JSONReader.Members()
        try json.readObject { json, key in
            if key == "id" {
                try members.claim(0)
                id = try json.readOptionalString()
            } else if key == "model" {
                try members.claim(1)
                model = try json.readOptionalString()
            } else if key == "choices" {
                try members.claim(2)
                choices = try json.readNull() ? nil : json.readElements(OpenAIWire.Choice.self)
            } else if key == "usage" {
                try members.claim(3)
                usage = try json.readNull() ? nil : OpenAIWire.Usage(reading: &json)
            } else if key == "error" {
                try members.claim(4)
                guard try json.readNull() else { throw JSONReader.Failure.unexpected(offset: 0) }
            } else {
                try json.skipValue()
            }
        }
    }
}

extension OpenAIWire.Choice: JSONReadable {
    init(reading json: inout JSONReader) throws {
        self.init()
        var members = JSONReader.Members()
        try json.readObject { json, key in
            if key == "index" {
                try members.claim(0)
                index = try json.readOptionalInt()
            } else if key == "message" {
                try members.claim(1)
                message = try json.readNull() ? nil : OpenAIWire.Message(reading: &json)
            } else if key == "delta" {
                try members.claim(2)
                delta = try json.readNull() ? nil : OpenAIWire.Message(reading: &json)
            } else if key == "finish_reason" {
                try members.claim(3)
                finishReason = try json.readOptionalString()
            } else {
                try json.skipValue()
            }
        }
    }
}

extension OpenAIWire.Message: JSONReadable {
    init(reading json: inout JSONReader) throws {
        self.init()
        var members = JSONReader.Members()
        try json.readObject { json, key in
            if key == "content" {
                try members.claim(0)
                content = try json.readOptionalString()
            } else if key == "refusal" {
                try members.claim(1)
                refusal = try json.readOptionalString()
            } else if key == "tool_calls" {
                try members.claim(2)
                toolCalls = try json.readNull() ? nil : json.readElements(OpenAIWire.ToolCall.self)
            } else {
                try json.skipValue()
            }
        }
    }
}

extension OpenAIWire.ToolCall: JSONReadable {
    init(reading json: inout JSONReader) throws {
        self.init()
        var members = JSONReader.Members()
        try json.readObject { json, key in
            if key == "index" {
                try members.claim(0)
                index = try json.readOptionalInt()
            } else if key == "id" {
                try members.claim(1)
                id = try json.readOptionalString()
            } else if key == "function" {
                try members.claim(2)
                function = try json.readNull() ? nil : OpenAIWire.Function(reading: &json)
            } else {
                try json.skipValue()
            }
        }
    }
}

extension OpenAIWire.Function: JSONReadable {
    init(reading json: inout JSONReader) throws {
        self.init()
        var members = JSONReader.Members()
        try json.readObject { json, key in
            if key == "name" {
                try members.claim(0)
                name = try json.readOptionalString()
            } else if key == "arguments" {
                try members.claim(1)
                arguments = try json.readOptionalString()
            } else {
                try json.skipValue()
            }
        }
    }
}

extension OpenAIWire.Usage: JSONReadable {
    init(reading json: inout JSONReader) throws {
        self.init()
        var members = JSONReader.Members()
        try json.readObject { json, key in
            if key == "prompt_tokens" {
                try members.claim(0)
                promptTokens = try json.readOptionalInt()
            } else if key == "completion_tokens" {
                try members.claim(1)
                completionTokens = try json.readOptionalInt()
            } else if key == "prompt_tokens_details" {
                try members.claim(2)
                guard try !json.readNull() else { return }
                var details = PromptDetails()
                var detailMembers = JSONReader.Members()
                try json.readObject { json, key in
                    if key == "cached_tokens" {
                        try detailMembers.claim(0)
                        details.cachedTokens = try json.readOptionalInt()
                    } else if key == "cache_write_tokens" {
                        try detailMembers.claim(1)
                        details.cacheWriteTokens = try json.readOptionalInt()
                    } else {
                        try json.skipValue()
                    }
                }
                promptTokensDetails = details
            } else if key == "completion_tokens_details" {
                try members.claim(3)
                guard try !json.readNull() else { return }
                var details = CompletionDetails()
                var detailMembers = JSONReader.Members()
                try json.readObject { json, key in
                    if key == "reasoning_tokens" {
                        try detailMembers.claim(0)
                        details.reasoningTokens = try json.readOptionalInt()
                    } else {
                        try json.skipValue()
                    }
                }
                completionTokensDetails = details
            } else {
                try json.skipValue()
            }
        }
    }
}
