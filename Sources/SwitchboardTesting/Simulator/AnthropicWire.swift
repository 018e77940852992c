import Switchboard

/// Anthropic's response headers, error bodies and in-stream oddities (wire reference §3.1, §3.5, §3.6).
enum AnthropicWire {
    /// Headers on every Anthropic response; a 429 gets exhausted rate limits and `retry-after`.
    static func headers(requestID: String, status: Int, retryAfter: Duration?) -> [(String, String)] {
        [
            ("request-id", requestID),
            ("anthropic-organization-id", "00000000-0000-4000-8000-000000000000"),
        ] + RateLimitHeaders.anthropic(exhausted: status == 429, retryAfter: retryAfter)
    }

    /// An error response; `nil` type and message take Anthropic's usual values for `status`.
    static func error(
        status: Int,
        type: String? = nil,
        message: String? = nil,
        retryAfter: Duration? = nil,
        requestID: String
    ) -> ResponsePlan {
        let defaults = defaults(for: status)
        let body: JSONValue = [
            "type": "error",
            "error": ["type": .string(type ?? defaults.type), "message": .string(message ?? defaults.message)],
            "request_id": .string(requestID),
        ]
        return .json(
            status,
            body.jsonString(),
            headers: headers(requestID: requestID, status: status, retryAfter: retryAfter)
        )
    }

    /// Anthropic's usual `error.type` and message for an HTTP status.
    static func defaults(for status: Int) -> (type: String, message: String) {
        switch status {
        case 400: ("invalid_request_error", "Invalid request.")
        case 401: ("authentication_error", "invalid x-api-key")
        case 402: ("billing_error", "Your credit balance is too low to access the Anthropic API.")
        case 403: ("permission_error", "Your API key does not have permission to use the specified resource.")
        case 404: ("not_found_error", "The requested resource could not be found.")
        case 413: ("request_too_large", "Request exceeds the maximum allowed number of bytes.")
        case 429:
            (
                "rate_limit_error",
                "This request would exceed the rate limit for your organization of 400,000 input tokens per minute."
            )
        case 504: ("timeout_error", "Request timed out.")
        case 529: ("overloaded_error", "Overloaded")
        case 500...: ("api_error", "Internal server error")
        default: ("invalid_request_error", "The request could not be processed.")
        }
    }

    /// The in-stream error event: `event: error` with the error body.
    static func streamError(type: String, message: String) -> [UInt8] {
        let body: JSONValue = ["type": "error", "error": ["type": .string(type), "message": .string(message)]]
        return ServerSentEvents.event("error", body.jsonString())
    }

    /// A `content_block_delta` event whose `data:` line is not valid JSON.
    static let malformedEvent = ServerSentEvents.event(
        "content_block_delta",
        #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","#
    )
}
