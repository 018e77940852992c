import Foundation
import Switchboard

/// Answers requests under `/anthropic`: `/v1/messages` and `/v1/models`.
struct AnthropicEndpoints: Sendable {
    let state: SimulatorState

    /// Answers `request`; `route` is its path after `/anthropic`, without the query.
    func respond(to request: RecordedRequest, route: String) -> ResponsePlan {
        let requestID = SimulatorIDs.requestID()
        switch (request.method, route) {
        case ("POST", "/v1/messages"):
            return rejected(request, requestID) ?? messages(request, requestID)
        case ("GET", "/v1/models"):
            return rejected(request, requestID) ?? models(request, requestID)
        case ("GET", _) where route.hasPrefix("/v1/models/") && route.count > "/v1/models/".count:
            return rejected(request, requestID) ?? model(String(route.dropFirst("/v1/models/".count)), requestID)
        default:
            return AnthropicWire.error(status: 404, message: "Not Found", requestID: requestID)
        }
    }

    /// `nil` when the key and `anthropic-version` are acceptable, else the 401 or 400 response.
    private func rejected(_ request: RecordedRequest, _ requestID: String) -> ResponsePlan? {
        var key = request.header("x-api-key") ?? ""
        if key.isEmpty, let bearer = request.header("authorization"), bearer.lowercased().hasPrefix("bearer ") {
            key = String(bearer.dropFirst("bearer ".count))
        }
        if key.trimmingCharacters(in: .whitespaces).isEmpty {
            return AnthropicWire.error(status: 401, message: "x-api-key header is required", requestID: requestID)
        }
        if let required = state.requiredKey(for: .anthropic), key != required {
            return AnthropicWire.error(status: 401, message: "invalid x-api-key", requestID: requestID)
        }
        if (request.header("anthropic-version") ?? "").isEmpty {
            return AnthropicWire.error(
                status: 400,
                message: "anthropic-version: header is required",
                requestID: requestID
            )
        }
        return nil
    }

    private func invalid(_ message: String, _ requestID: String) -> ResponsePlan {
        AnthropicWire.error(status: 400, type: "invalid_request_error", message: message, requestID: requestID)
    }

    private func messages(_ request: RecordedRequest, _ requestID: String) -> ResponsePlan {
        guard let json = request.json, case .object = json else {
            return invalid("There was an error parsing the body of your request. Please send valid JSON.", requestID)
        }
        guard let model = json["model"]?.stringValue else { return invalid("model: Field required", requestID) }
        guard case .integer = json["max_tokens"] else {
            return invalid(
                json["max_tokens"] == nil
                    ? "max_tokens: Field required" : "max_tokens: Input should be a valid integer", requestID)
        }
        guard case .array(let messages) = json["messages"] else {
            return invalid("messages: Field required", requestID)
        }
        for (index, message) in messages.enumerated() {
            let role = message["role"]?.stringValue ?? ""
            guard role == "user" || role == "assistant" else {
                return invalid("messages.\(index).role: Input should be 'user' or 'assistant'", requestID)
            }
        }

        let scripted = state.nextReply(for: .anthropic) ?? ChatTranscript.echoReply(to: json["messages"])
        let faults = FaultSet(scripted.faults)
        let number = state.nextID()
        let reply = ResolvedReply(
            scripted,
            requestModel: model,
            estimatedInput: ChatTranscript.estimatedInputTokens(messages: json["messages"], extra: json["system"]),
            toolID: { SimulatorIDs.make("toolu_sim\(number)_", $0, width: 2) },
            finishReasons: ("end_turn", "tool_use")
        )
        let renderer = AnthropicMessageRenderer(reply: reply, id: SimulatorIDs.make("msg_sim", number))
        var plan: ResponsePlan
        if let httpError = faults.httpError {
            plan = AnthropicWire.error(
                status: httpError.status,
                type: httpError.type,
                message: httpError.message,
                retryAfter: httpError.retryAfter,
                requestID: requestID
            )
        } else if json["stream"] == .bool(true) {
            let items = faults.stream(
                renderer.streamEvents(),
                malformed: AnthropicWire.malformedEvent,
                error: AnthropicWire.streamError
            )
            plan = ResponsePlan(
                status: 200,
                headers: [("content-type", "text/event-stream; charset=utf-8"), ("cache-control", "no-cache")]
                    + AnthropicWire.headers(requestID: requestID, status: 200, retryAfter: nil),
                body: .stream(items)
            )
        } else if let inStream = faults.inStreamError {
            plan = AnthropicWire.error(
                status: FaultSet.status(forErrorType: inStream.type),
                type: inStream.type,
                message: inStream.message,
                requestID: requestID
            )
        } else {
            plan = ResponsePlan(
                status: 200,
                headers: [("content-type", "application/json")]
                    + AnthropicWire.headers(requestID: requestID, status: 200, retryAfter: nil),
                body: faults.body(Array(renderer.fullMessage().jsonString().utf8))
            )
        }
        faults.applyDelivery(to: &plan)
        plan.headers = ResponsePlan.merge(plan.headers, scripted.headers)
        return plan
    }

    private func modelObject(_ id: String) -> JSONValue {
        [
            "type": "model",
            "id": .string(id),
            "display_name": .string(Self.displayName(for: id)),
            "created_at": "2025-05-22T00:00:00Z",
        ]
    }

    /// A readable name from a model id: `claude-sonnet-4-20250514` becomes `Claude Sonnet 4`.
    static func displayName(for id: String) -> String {
        id.split(separator: "-")
            .filter { !($0.count == 8 && $0.allSatisfy(\.isNumber)) }
            .map { $0.prefix(1).uppercased() + $0.dropFirst() }
            .joined(separator: " ")
    }

    /// `GET /v1/models` with `limit` (default 20), `after_id` and `before_id` paging.
    private func models(_ request: RecordedRequest, _ requestID: String) -> ResponsePlan {
        let query = URLComponents(string: request.path)?.queryItems ?? []
        func value(_ name: String) -> String? { query.first { $0.name == name }?.value }
        let limit = min(1000, max(1, value("limit").flatMap(Int.init) ?? 20))
        var ids = state.models(for: .anthropic)
        if let after = value("after_id"), let position = ids.firstIndex(of: after) {
            ids = Array(ids[(position + 1)...])
        }
        if let before = value("before_id"), let position = ids.firstIndex(of: before) {
            ids = Array(ids[..<position].suffix(limit))
        }
        let page = Array(ids.prefix(limit))
        let body: JSONValue = [
            "data": .array(page.map(modelObject)),
            "has_more": .bool(ids.count > page.count),
            "first_id": page.first.map(JSONValue.string) ?? .null,
            "last_id": page.last.map(JSONValue.string) ?? .null,
        ]
        return .json(
            200, body.jsonString(), headers: AnthropicWire.headers(requestID: requestID, status: 200, retryAfter: nil))
    }

    private func model(_ id: String, _ requestID: String) -> ResponsePlan {
        guard state.models(for: .anthropic).contains(id) else {
            return AnthropicWire.error(status: 404, message: "model: \(id)", requestID: requestID)
        }
        return .json(
            200,
            modelObject(id).jsonString(),
            headers: AnthropicWire.headers(requestID: requestID, status: 200, retryAfter: nil)
        )
    }
}
