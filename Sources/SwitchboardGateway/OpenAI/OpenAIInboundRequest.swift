import Switchboard

/// The body of `POST /v1/chat/completions`, as the OpenAI SDKs send it.
struct OpenAIChatCompletionBody: Decodable {
    struct StreamOptions: Decodable {
        var includeUsage: Bool?
        enum CodingKeys: String, CodingKey { case includeUsage = "include_usage" }
    }

    struct Tool: Decodable {
        struct Function: Decodable {
            var name: String
            var description: String?
            var parameters: JSONValue?
            var strict: Bool?
        }
        var type: String
        var function: Function?
    }

    struct ResponseFormatBody: Decodable {
        struct Schema: Decodable {
            var name: String?
            var schema: JSONValue?
            var strict: Bool?
        }
        var type: String
        var jsonSchema: Schema?
        enum CodingKeys: String, CodingKey {
            case type
            case jsonSchema = "json_schema"
        }
    }

    var model: String?
    var messages: [OpenAIInboundMessage] = []
    var stream: Bool?
    var streamOptions: StreamOptions?
    var maxTokens: Int?
    var maxCompletionTokens: Int?
    var temperature: Double?
    var topP: Double?
    var stop: OneOrMany<String>?
    var seed: Int?
    var tools: [Tool]?
    var toolChoice: JSONValue?
    var responseFormat: ResponseFormatBody?
    var user: String?
    var n: Int?

    enum CodingKeys: String, CodingKey {
        case model, messages, stream, temperature, stop, seed, tools, user, n
        case streamOptions = "stream_options"
        case maxTokens = "max_tokens"
        case maxCompletionTokens = "max_completion_tokens"
        case topP = "top_p"
        case toolChoice = "tool_choice"
        case responseFormat = "response_format"
    }
}

/// One message of an OpenAI chat request.
struct OpenAIInboundMessage: Decodable {
    struct Part: Decodable {
        struct ImageURL: Decodable {
            var url = ""
        }
        var type = ""
        var text: String?
        var imageURL: ImageURL?
        enum CodingKeys: String, CodingKey {
            case type, text
            case imageURL = "image_url"
        }
    }

    struct ToolCallBody: Decodable {
        struct Function: Decodable {
            var name = ""
            var arguments: String?
        }
        var id = ""
        var function = Function()
    }

    enum Content: Decodable {
        case text(String)
        case parts([Part])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self = .text(text)
            } else {
                self = .parts(try container.decode([Part].self))
            }
        }
    }

    var role = ""
    var content: Content?
    var toolCalls: [ToolCallBody]?
    var toolCallID: String?

    enum CodingKeys: String, CodingKey {
        case role, content
        case toolCalls = "tool_calls"
        case toolCallID = "tool_call_id"
    }
}

/// The body of `POST /v1/embeddings`.
struct OpenAIEmbeddingsBody: Decodable {
    var model: String?
    var input: OneOrMany<String>
    var dimensions: Int?
    var encodingFormat: String?

    enum CodingKeys: String, CodingKey {
        case model, input, dimensions
        case encodingFormat = "encoding_format"
    }
}

/// A JSON value that is either one `T` or an array of them (`stop`, `input`).
enum OneOrMany<T: Decodable>: Decodable {
    case one(T)
    case many([T])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(T.self) {
            self = .one(value)
        } else {
            self = .many(try container.decode([T].self))
        }
    }

    var values: [T] {
        switch self {
        case .one(let value): [value]
        case .many(let values): values
        }
    }
}
