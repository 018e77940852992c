import Switchboard

/// The runtime options of an Ollama request the gateway maps (wire reference §5.4); others are ignored.
struct OllamaInboundOptions: Decodable {
    var temperature: Double?
    var topP: Double?
    var topK: Int?
    var numPredict: Int?
    var stop: [String]?
    var seed: Int?

    enum CodingKeys: String, CodingKey {
        case temperature, stop, seed
        case topP = "top_p"
        case topK = "top_k"
        case numPredict = "num_predict"
    }
}

/// The body of `POST /api/chat`.
struct OllamaChatBody: Decodable {
    struct Message: Decodable {
        struct ToolCallBody: Decodable {
            struct Function: Decodable {
                var name: String
                var arguments: JSONValue?
            }
            var id: String?
            var function: Function
        }

        var role: String
        var content: String?
        var images: [String]?
        var toolCalls: [ToolCallBody]?
        var toolName: String?
        var toolCallID: String?

        enum CodingKeys: String, CodingKey {
            case role, content, images
            case toolCalls = "tool_calls"
            case toolName = "tool_name"
            case toolCallID = "tool_call_id"
        }
    }

    var model: String?
    var messages: [Message]?
    var tools: [OpenAIChatCompletionBody.Tool]?
    var format: JSONValue?
    var options: OllamaInboundOptions?
    var stream: Bool?
}

/// The body of `POST /api/generate`.
struct OllamaGenerateBody: Decodable {
    var model: String?
    var prompt: String?
    var system: String?
    var images: [String]?
    var format: JSONValue?
    var options: OllamaInboundOptions?
    var stream: Bool?
}

/// The body of `POST /api/embed`.
struct OllamaEmbedBody: Decodable {
    var model: String?
    var input: OneOrMany<String>
    var dimensions: Int?
}
