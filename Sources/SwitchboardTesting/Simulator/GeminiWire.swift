import Switchboard

/// Gemini's SSE framing and Google RPC error bodies (wire reference §4.4, §4.6, §4.7).
enum GeminiWire {
    /// Headers on every Gemini response (no rate-limit headers: Gemini sends none).
    static let headers: [(String, String)] = [
        ("server", "scaffolding on HTTPServer2"), ("x-content-type-options", "nosniff"),
    ]

    /// One SSE event as the native endpoint frames it: `data: <payload>` and CRLF CRLF.
    static func event(_ payload: String) -> [UInt8] {
        Array("data: \(payload)\r\n\r\n".utf8)
    }

    /// The Google RPC status name for an HTTP status (413 counts as `INVALID_ARGUMENT`).
    static func statusName(for status: Int) -> String {
        switch status {
        case 400, 413: "INVALID_ARGUMENT"
        case 401: "UNAUTHENTICATED"
        case 403: "PERMISSION_DENIED"
        case 404: "NOT_FOUND"
        case 409: "ABORTED"
        case 429: "RESOURCE_EXHAUSTED"
        case 499: "CANCELLED"
        case 501: "UNIMPLEMENTED"
        case 503: "UNAVAILABLE"
        case 504: "DEADLINE_EXCEEDED"
        case 500...: "INTERNAL"
        default: "FAILED_PRECONDITION"
        }
    }

    /// Gemini's usual message for an HTTP status.
    static func defaultMessage(for status: Int) -> String {
        switch status {
        case 400: "Request contains an invalid argument."
        case 401: "Request had invalid authentication credentials."
        case 403: "The caller does not have permission"
        case 404: "Requested entity was not found."
        case 413: "Request payload size exceeds the limit: 20971520 bytes."
        case 429:
            "You exceeded your current quota, please check your plan and billing details. For more information on "
                + "this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits."
        case 503: "The model is overloaded. Please try again later."
        case 504: "Deadline expired before operation could complete."
        case 500...:
            "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting"
        default: "The request could not be processed."
        }
    }

    /// A `google.protobuf.Duration` string: `3s`, `1.5s`.
    static func duration(_ duration: Duration) -> String {
        RateLimitHeaders.seconds(duration) + "s"
    }

    /// The `error` object; `details` are `google.rpc` messages.
    static func errorObject(code: Int, status: String, message: String, details: [JSONValue] = []) -> JSONValue {
        var object: [String: JSONValue] = [
            "code": .integer(code), "message": .string(message), "status": .string(status),
        ]
        if !details.isEmpty { object["details"] = .array(details) }
        return .object(object)
    }

    /// The details of a 429: a `QuotaFailure` (per-day when `quota` is `PerDay`, else per-minute),
    /// a `Help` link and a `RetryInfo`.
    static func quotaDetails(quota: String?, retryAfter: Duration?, model: String?) -> [JSONValue] {
        let perDay = quota == "PerDay"
        let violation: JSONValue = [
            "quotaMetric": .string(
                perDay
                    ? "generativelanguage.googleapis.com/generate_requests_per_model_per_day"
                    : "generativelanguage.googleapis.com/generate_content_paid_tier_requests"),
            "quotaId": .string(
                perDay ? "GenerateRequestsPerDayPerProjectPerModel" : "GenerateRequestsPerMinutePerProjectPerModel"),
            "quotaDimensions": ["location": "global", "model": .string(model ?? "gemini-2.5-flash")],
            "quotaValue": perDay ? "10000" : "1000",
        ]
        return [
            ["@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": [violation]],
            [
                "@type": "type.googleapis.com/google.rpc.Help",
                "links": [
                    [
                        "description": "Learn more about Gemini API quotas",
                        "url": "https://ai.google.dev/gemini-api/docs/rate-limits",
                    ]
                ],
            ],
            [
                "@type": "type.googleapis.com/google.rpc.RetryInfo",
                "retryDelay": .string(duration(retryAfter ?? .seconds(1))),
            ],
        ]
    }

    /// An error response. `nil` status name and message take the usual ones for `status`; a 429
    /// carries quota details, with `quota` (a fault's `code`) choosing `PerDay` or per-minute.
    static func error(
        status: Int,
        statusName: String? = nil,
        message: String? = nil,
        quota: String? = nil,
        retryAfter: Duration? = nil,
        model: String? = nil
    ) -> ResponsePlan {
        let details = status == 429 ? quotaDetails(quota: quota, retryAfter: retryAfter, model: model) : []
        let body: JSONValue = [
            "error": errorObject(
                code: status,
                status: statusName ?? Self.statusName(for: status),
                message: message ?? defaultMessage(for: status),
                details: details
            )
        ]
        return .json(status, body.jsonString(), headers: headers)
    }

    /// The answer to a missing or wrong API key: 400 `INVALID_ARGUMENT` with `ErrorInfo` reason `API_KEY_INVALID`.
    static func invalidKey() -> ResponsePlan {
        let message = "API key not valid. Please pass a valid API key."
        let details: [JSONValue] = [
            [
                "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                "reason": "API_KEY_INVALID",
                "domain": "googleapis.com",
                "metadata": ["service": "generativelanguage.googleapis.com"],
            ],
            [
                "@type": "type.googleapis.com/google.rpc.LocalizedMessage", "locale": "en-US",
                "message": .string(message),
            ],
        ]
        let body: JSONValue = [
            "error": errorObject(code: 400, status: "INVALID_ARGUMENT", message: message, details: details)
        ]
        return .json(400, body.jsonString(), headers: headers)
    }

    /// The in-stream error event: `data: {"error":{...}}`; `statusName` picks the code.
    static func streamError(statusName: String, message: String) -> [UInt8] {
        let code = FaultSet.status(forErrorType: statusName)
        return event(
            JSONValue.object(["error": errorObject(code: code, status: statusName, message: message)]).jsonString())
    }

    /// A `data:` line that is not valid JSON.
    static let malformedEvent = event(#"{"candidates": [{"content": {"parts": [{"text": "#)
}
