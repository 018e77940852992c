import Switchboard

/// OpenAI's response headers, error bodies and in-stream oddities (wire reference §2.1, §2.5, §2.6).
enum OpenAIWire {
    /// Headers on every OpenAI response; a 429 gets exhausted rate limits and retry hints.
    static func headers(requestID: String, status: Int, retryAfter: Duration?) -> [(String, String)] {
        [
            ("x-request-id", requestID),
            ("openai-version", "2020-10-01"),
            ("openai-processing-ms", "7"),
            ("openai-organization", "org-simulator"),
        ] + RateLimitHeaders.openAI(exhausted: status == 429, retryAfter: retryAfter)
    }

    /// The `error` object of an OpenAI error body.
    static func errorObject(type: String, message: String, param: String?, code: String?) -> JSONValue {
        [
            "message": .string(message),
            "type": .string(type),
            "param": param.map(JSONValue.string) ?? .null,
            "code": code.map(JSONValue.string) ?? .null,
        ]
    }

    /// An error response; `nil` type, code and message take OpenAI's usual values for `status`.
    static func error(
        status: Int,
        type: String? = nil,
        code: String? = nil,
        message: String? = nil,
        param: String? = nil,
        retryAfter: Duration? = nil,
        requestID: String
    ) -> ResponsePlan {
        let defaults = defaults(for: status)
        let body: JSONValue = [
            "error": errorObject(
                type: type ?? defaults.type,
                message: message ?? defaults.message,
                param: param,
                code: code ?? defaults.code
            )
        ]
        return .json(
            status,
            body.jsonString(),
            headers: headers(requestID: requestID, status: status, retryAfter: retryAfter)
        )
    }

    /// OpenAI's usual `type`, `code` and `message` for an HTTP status.
    static func defaults(for status: Int) -> (type: String, code: String?, message: String) {
        switch status {
        case 400: ("invalid_request_error", nil, "Invalid request.")
        case 401:
            (
                "invalid_request_error", "invalid_api_key",
                "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys."
            )
        case 403:
            (
                "invalid_request_error", "unsupported_country_region_territory",
                "Country, region, or territory not supported"
            )
        case 404:
            ("invalid_request_error", "model_not_found", "The model does not exist or you do not have access to it.")
        case 429:
            ("requests", "rate_limit_exceeded", "Rate limit reached for requests. Please try again in 1s.")
        case 503: ("server_error", nil, "The engine is currently overloaded, please try again later.")
        case 500...: ("server_error", nil, "The server had an error while processing your request. Sorry about that!")
        default: ("invalid_request_error", nil, "The request could not be processed.")
        }
    }

    /// The in-stream error event: `data: {"error":{...}}`.
    static func streamError(type: String, message: String) -> [UInt8] {
        let body: JSONValue = ["error": errorObject(type: type, message: message, param: nil, code: nil)]
        return ServerSentEvents.data(body.jsonString())
    }

    /// A `data:` line that is not valid JSON.
    static let malformedEvent = ServerSentEvents.data(
        #"{"id":"chatcmpl-broken","object":"chat.completion.chunk","choices":[{"#)

    /// A key shown the way OpenAI echoes it in a 401 message: `sk-abc***wxyz`.
    static func redacted(_ key: String) -> String {
        guard key.count > 8 else { return String(repeating: "*", count: key.count) }
        return "\(key.prefix(3))***\(key.suffix(4))"
    }
}
