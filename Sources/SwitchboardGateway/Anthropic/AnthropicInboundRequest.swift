import Switchboard

/// The body of `POST /v1/messages` and `POST /v1/messages/count_tokens`, as the Anthropic SDKs send it.
struct AnthropicMessagesBody: Decodable {
    struct Tool: Decodable {
        var name: String
        var description: String?
        var inputSchema: JSONValue?
        var type: String?

        enum CodingKeys: String, CodingKey {
            case name, description, type
            case inputSchema = "input_schema"
        }
    }

    struct Metadata: Decodable {
        var userID: String?
        enum CodingKeys: String, CodingKey { case userID = "user_id" }
    }

    var model: String?
    var maxTokens: Int?
    var messages: [AnthropicInboundMessage]
    var system: AnthropicInboundMessage.Content?
    var temperature: Double?
    var topP: Double?
    var topK: Int?
    var stopSequences: [String]?
    var stream: Bool?
    var tools: [Tool]?
    var toolChoice: JSONValue?
    var metadata: Metadata?

    enum CodingKeys: String, CodingKey {
        case model, messages, system, temperature, stream, tools, metadata
        case maxTokens = "max_tokens"
        case topP = "top_p"
        case topK = "top_k"
        case stopSequences = "stop_sequences"
        case toolChoice = "tool_choice"
    }
}

/// One message of an Anthropic request.
struct AnthropicInboundMessage: Decodable {
    struct Block: Decodable {
        struct Source: Decodable {
            var type: String
            var mediaType: String?
            var data: String?
            var url: String?
            enum CodingKeys: String, CodingKey {
                case type, data, url
                case mediaType = "media_type"
            }
        }

        var type: String
        var text: String?
        var source: Source?
        var id: String?
        var name: String?
        var input: JSONValue?
        var toolUseID: String?
        var content: Content?
        var isError: Bool?

        enum CodingKeys: String, CodingKey {
            case type, text, source, id, name, input, content
            case toolUseID = "tool_use_id"
            case isError = "is_error"
        }
    }

    /// A string or an array of blocks.
    indirect enum Content: Decodable {
        case text(String)
        case blocks([Block])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self = .text(text)
            } else {
                self = .blocks(try container.decode([Block].self))
            }
        }

        var blocks: [Block] {
            switch self {
            case .text(let text): [Block(type: "text", text: text)]
            case .blocks(let blocks): blocks
            }
        }
    }

    var role: String
    var content: Content
}
