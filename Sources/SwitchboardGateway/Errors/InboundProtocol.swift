import HTTPTypes
import Hummingbird
import Switchboard

/// The API a caller speaks to the gateway; it decides the shape of every error the caller sees.
public enum InboundProtocol: String, Hashable, Sendable {
    case openAI = "openai"
    case anthropic
    case ollama

    /// `error` as a complete HTTP response in this protocol's format, with its status and retry headers.
    func response(for error: GatewayError) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let retryAfter = error.retryAfter {
            let milliseconds = max(0, retryAfter.milliseconds)
            headers[.retryAfter] = String((milliseconds + 999) / 1000)
            if self == .openAI { headers[HTTPField.Name("retry-after-ms")!] = String(milliseconds) }
        }
        if let shouldRetry = error.shouldRetry, self != .ollama {
            headers[HTTPField.Name("x-should-retry")!] = shouldRetry ? "true" : "false"
        }
        return Response(
            status: HTTPResponse.Status(code: status(for: error)), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(json: body(for: error))))
    }

    /// The HTTP status this protocol uses for `error` (Anthropic says 529 for overload).
    func status(for error: GatewayError) -> Int {
        if self == .anthropic, error.kind == .overloaded { return 529 }
        return error.status
    }

    /// The error object, as this protocol's body (and in-stream error event) carries it.
    func body(for error: GatewayError) -> JSONValue {
        switch self {
        case .openAI:
            return [
                "error": [
                    "message": .string(error.message), "type": .string(openAIType(for: error)),
                    "param": error.parameter.map(JSONValue.string) ?? .null,
                    "code": error.code.map(JSONValue.string) ?? .null,
                ]
            ]
        case .anthropic:
            return [
                "type": "error",
                "error": ["type": .string(anthropicType(for: error)), "message": .string(error.message)],
            ]
        case .ollama:
            return ["error": .string(error.message)]
        }
    }

    private func openAIType(for error: GatewayError) -> String {
        switch error.kind {
        case .invalidRequest, .authentication, .notFound, .requestTooLarge: "invalid_request_error"
        case .permissionDenied: "permission_error"
        case .rateLimited: "requests"
        case .quotaExceeded: "insufficient_quota"
        case .overloaded, .upstream, .timeout, .unavailable, .internal: "server_error"
        }
    }

    private func anthropicType(for error: GatewayError) -> String {
        switch error.kind {
        case .invalidRequest: "invalid_request_error"
        case .authentication: "authentication_error"
        case .permissionDenied: "permission_error"
        case .notFound: "not_found_error"
        case .requestTooLarge: "request_too_large"
        case .rateLimited, .quotaExceeded: "rate_limit_error"
        case .overloaded: "overloaded_error"
        case .timeout: "timeout_error"
        case .upstream, .unavailable, .internal: "api_error"
        }
    }
}

extension Duration {
    /// Whole milliseconds, rounded down.
    var milliseconds: Int {
        Int(components.seconds) * 1000 + Int(components.attoseconds / 1_000_000_000_000_000)
    }
}
