import Foundation
import Switchboard

/// Answers requests under `/openai/v1`: chat completions, models and embeddings.
struct OpenAIEndpoints: Sendable {
    let state: SimulatorState

    /// Answers `request`; `route` is its path after `/openai/v1`, without the query.
    func respond(to request: RecordedRequest, route: String) -> ResponsePlan {
        let requestID = SimulatorIDs.requestID()
        switch (request.method, route) {
        case ("POST", "/chat/completions"):
            return authorized(request, requestID) ?? chatCompletion(request, requestID)
        case ("POST", "/embeddings"):
            return authorized(request, requestID) ?? embeddings(request, requestID)
        case ("GET", "/models"):
            return authorized(request, requestID) ?? models(requestID)
        case ("GET", _) where route.hasPrefix("/models/") && route.count > "/models/".count:
            return authorized(request, requestID) ?? model(String(route.dropFirst("/models/".count)), requestID)
        default:
            return OpenAIWire.error(
                status: 404,
                type: "invalid_request_error",
                code: "unknown_url",
                message: "Invalid URL (\(request.method) /v1\(route))",
                requestID: requestID
            )
        }
    }

    /// `nil` when the bearer key is acceptable, else the 401 response.
    private func authorized(_ request: RecordedRequest, _ requestID: String) -> ResponsePlan? {
        let header = request.header("authorization") ?? ""
        let key = header.lowercased().hasPrefix("bearer ") ? String(header.dropFirst("bearer ".count)) : ""
        if key.trimmingCharacters(in: .whitespaces).isEmpty {
            return OpenAIWire.error(
                status: 401,
                type: "invalid_request_error",
                code: nil,
                message: "You didn't provide an API key. You need to provide your API key in an Authorization "
                    + "header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                requestID: requestID
            )
        }
        if let required = state.requiredKey(for: .openAI), key != required {
            return OpenAIWire.error(
                status: 401,
                type: "invalid_request_error",
                code: "invalid_api_key",
                message: "Incorrect API key provided: \(OpenAIWire.redacted(key)). You can find your API key at "
                    + "https://platform.openai.com/account/api-keys.",
                requestID: requestID
            )
        }
        return nil
    }

    /// The 400 response for a body that is not a JSON object.
    private func unparsableBody(_ requestID: String) -> ResponsePlan {
        OpenAIWire.error(
            status: 400,
            message: "We could not parse the JSON body of your request. (HINT: This likely means you "
                + "aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but "
                + "what was sent was not valid JSON.)",
            requestID: requestID
        )
    }

    private func chatCompletion(_ request: RecordedRequest, _ requestID: String) -> ResponsePlan {
        guard let json = request.json, case .object = json else { return unparsableBody(requestID) }
        guard let model = json["model"]?.stringValue else {
            return OpenAIWire.error(status: 400, message: "you must provide a model parameter", requestID: requestID)
        }
        guard case .array(let messages) = json["messages"] else {
            return OpenAIWire.error(
                status: 400,
                code: "missing_required_parameter",
                message: "Missing required parameter: 'messages'.",
                param: "messages",
                requestID: requestID
            )
        }
        guard !messages.isEmpty else {
            return OpenAIWire.error(
                status: 400,
                code: "empty_array",
                message: "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an "
                    + "empty array instead.",
                param: "messages",
                requestID: requestID
            )
        }

        let scripted = state.nextReply(for: .openAI) ?? ChatTranscript.echoReply(to: json["messages"])
        let faults = FaultSet(scripted.faults)
        let number = state.nextID()
        let reply = ResolvedReply(
            scripted,
            requestModel: model,
            estimatedInput: ChatTranscript.estimatedInputTokens(messages: json["messages"]),
            toolID: { SimulatorIDs.make("call_sim\(number)_", $0, width: 2) },
            finishReasons: ("stop", "tool_calls")
        )
        let renderer = OpenAIChatRenderer(
            reply: reply,
            id: SimulatorIDs.make("chatcmpl-sim", number),
            created: Int(Date().timeIntervalSince1970)
        )
        let streaming = json["stream"] == .bool(true)
        var plan: ResponsePlan
        if let httpError = faults.httpError {
            plan = error(httpError, requestID)
        } else if streaming {
            let includeUsage = json["stream_options"]?["include_usage"] == .bool(true)
            let items = faults.stream(
                renderer.streamEvents(includeUsage: includeUsage),
                malformed: OpenAIWire.malformedEvent,
                error: OpenAIWire.streamError
            )
            plan = ResponsePlan(
                status: 200,
                headers: [("content-type", "text/event-stream; charset=utf-8"), ("cache-control", "no-cache")]
                    + OpenAIWire.headers(requestID: requestID, status: 200, retryAfter: nil),
                body: .stream(items)
            )
        } else if let inStream = faults.inStreamError {
            plan = OpenAIWire.error(
                status: FaultSet.status(forErrorType: inStream.type),
                type: inStream.type,
                message: inStream.message,
                requestID: requestID
            )
        } else {
            plan = ResponsePlan(
                status: 200,
                headers: [("content-type", "application/json")]
                    + OpenAIWire.headers(requestID: requestID, status: 200, retryAfter: nil),
                body: faults.body(Array(renderer.completion().jsonString().utf8))
            )
        }
        faults.applyDelivery(to: &plan)
        plan.headers = ResponsePlan.merge(plan.headers, scripted.headers)
        return plan
    }

    private func error(_ fault: FaultSet.HTTPError, _ requestID: String) -> ResponsePlan {
        OpenAIWire.error(
            status: fault.status,
            type: fault.type,
            code: fault.code,
            message: fault.message,
            retryAfter: fault.retryAfter,
            requestID: requestID
        )
    }

    private func embeddings(_ request: RecordedRequest, _ requestID: String) -> ResponsePlan {
        guard let json = request.json, case .object = json else { return unparsableBody(requestID) }
        guard let model = json["model"]?.stringValue else {
            return OpenAIWire.error(status: 400, message: "you must provide a model parameter", requestID: requestID)
        }
        let texts: [String]
        switch json["input"] {
        case .string(let text):
            texts = [text]
        case .array(let items) where !items.isEmpty:
            if items.allSatisfy({ if case .integer = $0 { true } else { false } }) {
                // One input given as token integers.
                texts = [items.map { $0.jsonString() }.joined(separator: " ")]
            } else {
                texts = items.map { $0.stringValue ?? $0.jsonString() }
            }
        default:
            return OpenAIWire.error(
                status: 400,
                code: "missing_required_parameter",
                message: "Missing required parameter: 'input'.",
                param: "input",
                requestID: requestID
            )
        }

        let scripted = state.nextReply(for: .openAI) ?? SimulatedReply()
        let faults = FaultSet(scripted.faults)
        var dimensions = 8
        if case .integer(let requested) = json["dimensions"], requested > 0 { dimensions = requested }
        let base64 = json["encoding_format"]?.stringValue == "base64"
        let data: [JSONValue] = texts.enumerated().map { index, text in
            let vector = EmbeddingGenerator.vector(for: text, dimensions: dimensions)
            return [
                "object": "embedding",
                "index": .integer(index),
                "embedding": base64
                    ? .string(EmbeddingGenerator.base64(vector)) : .array(vector.map { .number(Double($0)) }),
            ]
        }
        let tokens = texts.reduce(0) { $0 + max(1, TokenEstimator.words($1)) }
        let body: JSONValue = [
            "object": "list",
            "data": .array(data),
            "model": .string(scripted.model ?? model),
            "usage": ["prompt_tokens": .integer(tokens), "total_tokens": .integer(tokens)],
        ]
        var plan: ResponsePlan
        if let httpError = faults.httpError {
            plan = error(httpError, requestID)
        } else {
            plan = ResponsePlan(
                status: 200,
                headers: [("content-type", "application/json")]
                    + OpenAIWire.headers(requestID: requestID, status: 200, retryAfter: nil),
                body: faults.body(Array(body.jsonString().utf8))
            )
        }
        faults.applyDelivery(to: &plan)
        plan.headers = ResponsePlan.merge(plan.headers, scripted.headers)
        return plan
    }

    private func modelObject(_ id: String) -> JSONValue {
        ["id": .string(id), "object": "model", "created": 1_715_367_049, "owned_by": "system"]
    }

    private func models(_ requestID: String) -> ResponsePlan {
        let body: JSONValue = ["object": "list", "data": .array(state.models(for: .openAI).map(modelObject))]
        return .json(
            200, body.jsonString(), headers: OpenAIWire.headers(requestID: requestID, status: 200, retryAfter: nil))
    }

    private func model(_ id: String, _ requestID: String) -> ResponsePlan {
        guard state.models(for: .openAI).contains(id) else {
            return OpenAIWire.error(
                status: 404,
                message: "The model `\(id)` does not exist or you do not have access to it.",
                requestID: requestID
            )
        }
        return .json(
            200,
            modelObject(id).jsonString(),
            headers: OpenAIWire.headers(requestID: requestID, status: 200, retryAfter: nil)
        )
    }
}
