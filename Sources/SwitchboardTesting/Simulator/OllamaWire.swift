import Foundation
import Switchboard

/// Ollama's NDJSON lines, error bodies and timestamps (wire reference §5.1, §5.6).
enum OllamaWire {
    /// The content type of a streamed (NDJSON) response.
    static let ndjsonContentType = "application/x-ndjson"

    /// One NDJSON line: compact JSON and `\n`.
    static func line(_ value: JSONValue) -> [UInt8] {
        Array((value.jsonString() + "\n").utf8)
    }

    /// An error response: `{"error":"<message>"}`; a `nil` message takes Ollama's usual one for `status`.
    static func error(status: Int, message: String? = nil, model: String? = nil) -> ResponsePlan {
        let body: JSONValue = ["error": .string(message ?? defaultMessage(for: status, model: model))]
        return .json(status, body.jsonString(), headers: [])
    }

    /// Ollama's usual error message for an HTTP status.
    static func defaultMessage(for status: Int, model: String?) -> String {
        switch status {
        case 400: "invalid request"
        case 401: "unauthorized"
        case 404: model.map { "model \"\($0)\" not found, try pulling it first" } ?? "not found"
        case 429: "too many requests"
        case 502: "bad gateway"
        case 503: "server busy, please try again.  maximum pending requests exceeded"
        case 500...: "llama runner process has terminated: exit status 2"
        default: "the request could not be processed"
        }
    }

    /// The in-stream error line: `{"error":"<message>"}`.
    static func streamError(message: String) -> [UInt8] {
        line(["error": .string(message)])
    }

    /// A line that is not valid JSON.
    static let malformedLine = Array(#"{"model":"llama3.2","created_at":"2025-"#.utf8) + [UInt8(ascii: "\n")]

    /// A plain-text response, as Ollama's Go server sends for `GET /` and unknown routes.
    static func text(_ status: Int, _ text: String) -> ResponsePlan {
        ResponsePlan(
            status: status,
            headers: [("content-type", "text/plain; charset=utf-8")],
            body: .full(Array(text.utf8))
        )
    }

    /// An RFC 3339 timestamp in UTC with fractional seconds, e.g. `2025-07-07T20:43:37.688Z`.
    static func timestamp(_ date: Date) -> String {
        date.formatted(
            Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC")!))
    }

    /// The `details` object of `/api/tags`, `/api/ps` and `/api/show`.
    static func details(_ model: SimulatedLocalModel) -> JSONValue {
        var families: [JSONValue] = [.string(model.family)]
        if model.capabilities.contains("vision") && model.family != "clip" { families.append("clip") }
        return [
            "parent_model": "",
            "format": "gguf",
            "family": .string(model.family),
            "families": .array(families),
            "parameter_size": .string(model.parameterSize),
            "quantization_level": .string(model.quantization),
        ]
    }
}
