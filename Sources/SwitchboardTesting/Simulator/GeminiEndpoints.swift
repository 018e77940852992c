import Foundation
import Switchboard

/// Answers requests under `/gemini/v1beta`: generateContent (plain and SSE), models, embeddings and
/// countTokens (wire reference §4).
struct GeminiEndpoints: Sendable {
    let state: SimulatorState

    /// Answers `request`; `route` is its path after `/gemini/v1beta`, without the query.
    func respond(to request: RecordedRequest, route: String) -> ResponsePlan {
        if let rejection = unauthorized(request) { return rejection }
        let decoded = route.removingPercentEncoding ?? route
        if decoded == "/models" {
            return request.method == "GET" ? models(request) : notFound(request)
        }
        guard decoded.hasPrefix("/models/") else { return notFound(request) }
        var resource = Substring(decoded.dropFirst("/models/".count))
        if resource.hasPrefix("models/") { resource = resource.dropFirst("models/".count) }
        let model: String
        let method: String?
        if let colon = resource.lastIndex(of: ":") {
            model = String(resource[..<colon])
            method = String(resource[resource.index(after: colon)...])
        } else {
            model = String(resource)
            method = nil
        }
        guard !model.isEmpty else { return notFound(request) }
        switch (request.method, method) {
        case ("GET", nil): return self.model(model)
        case ("POST", "generateContent"): return generate(request, model: model, streaming: false)
        case ("POST", "streamGenerateContent"): return generate(request, model: model, streaming: true)
        case ("POST", "embedContent"): return embed(request, model: model, batch: false)
        case ("POST", "batchEmbedContents"): return embed(request, model: model, batch: true)
        case ("POST", "countTokens"): return countTokens(request)
        default: return notFound(request)
        }
    }

    private func notFound(_ request: RecordedRequest) -> ResponsePlan {
        GeminiWire.error(status: 404, message: "Method not found: \(request.method) \(request.pathWithoutQuery)")
    }

    private func query(_ request: RecordedRequest, _ name: String) -> String? {
        URLComponents(string: request.path)?.queryItems?.first { $0.name == name }?.value
    }

    /// `nil` when the key (`x-goog-api-key`, or `?key=`) is acceptable, else 400 `API_KEY_INVALID`.
    private func unauthorized(_ request: RecordedRequest) -> ResponsePlan? {
        let key = request.header("x-goog-api-key") ?? query(request, "key") ?? ""
        if key.trimmingCharacters(in: .whitespaces).isEmpty { return GeminiWire.invalidKey() }
        if let required = state.requiredKey(for: .gemini), key != required { return GeminiWire.invalidKey() }
        return nil
    }

    private func invalid(_ message: String) -> ResponsePlan {
        GeminiWire.error(status: 400, message: message)
    }

    /// The body as a JSON object, or the 400 response.
    private func object(_ request: RecordedRequest) -> Result<JSONValue, SimulatedBodyError> {
        guard let json = request.json, case .object = json else {
            return .failure(
                SimulatedBodyError(
                    plan: invalid(
                        request.body.isEmpty
                            ? "* GenerateContentRequest.contents: contents is not specified\n"
                            : "Invalid JSON payload received. Unexpected token.")))
        }
        return .success(json)
    }

    private func generate(_ request: RecordedRequest, model: String, streaming: Bool) -> ResponsePlan {
        let json: JSONValue
        switch object(request) {
        case .success(let value): json = value
        case .failure(let failure): return failure.plan
        }
        guard case .array(let contents) = json["contents"], !contents.isEmpty else {
            return invalid("* GenerateContentRequest.contents: contents is not specified\n")
        }
        for content in contents {
            if let role = content["role"], role != "user" && role != "model" {
                return invalid("Please use a valid role: user, model.")
            }
        }

        let scripted = state.nextReply(for: .gemini) ?? GeminiTranscript.echoReply(to: json["contents"])
        let faults = FaultSet(scripted.faults)
        let number = state.nextID()
        let reply = ResolvedReply(
            scripted,
            requestModel: model,
            estimatedInput: GeminiTranscript.estimatedInputTokens(
                contents: json["contents"], systemInstruction: json["systemInstruction"]),
            toolID: { SimulatorIDs.make("fc_sim\(number)_", $0, width: 2) },
            finishReasons: ("STOP", "STOP")
        )
        let renderer = GeminiContentRenderer(
            reply: reply,
            responseID: SimulatorIDs.make("sim", number, width: 20),
            promptBlockReason: scripted.promptBlockReason
        )
        let planner = ChatReplyPlanner(
            headers: { _, _, _ in GeminiWire.headers },
            error: { status, type, message, _ in GeminiWire.error(status: status, statusName: type, message: message) },
            malformedEvent: GeminiWire.malformedEvent,
            streamError: { GeminiWire.streamError(statusName: $0, message: $1) },
            streamContentType: "text/event-stream",
            streamHeaders: [("x-accel-buffering", "no")]
        )
        // Without `alt=sse` the stream endpoint answers one JSON array of the chunks.
        let sse = streaming && query(request, "alt") == "sse"
        return planner.plan(
            scripted: scripted,
            faults: faults,
            streaming: sse,
            requestID: "",
            httpError: { fault in
                GeminiWire.error(
                    status: fault.status, statusName: fault.type, message: fault.message, quota: fault.code,
                    retryAfter: fault.retryAfter, model: model)
            },
            streamEvents: { renderer.chunks().map { GeminiWire.event($0.jsonString()) } },
            body: {
                Array((streaming ? JSONValue.array(renderer.chunks()) : renderer.fullResponse()).jsonString().utf8)
            }
        )
    }

    private func embed(_ request: RecordedRequest, model: String, batch: Bool) -> ResponsePlan {
        let json: JSONValue
        switch object(request) {
        case .success(let value): json = value
        case .failure(let failure): return failure.plan
        }
        let items: [JSONValue]
        if batch {
            guard case .array(let requests) = json["requests"], !requests.isEmpty else {
                return invalid("* BatchEmbedContentsRequest.requests: requests is not specified\n")
            }
            items = requests
        } else {
            items = [json]
        }
        var vectors: [JSONValue] = []
        for item in items {
            guard item["content"] != nil else {
                return invalid("* EmbedContentRequest.content: content is not specified\n")
            }
            var dimensions = 8
            if case .integer(let requested) = item["outputDimensionality"], requested > 0 { dimensions = requested }
            let text = GeminiTranscript.text(of: item["content"])
            let values = EmbeddingGenerator.vector(for: text, dimensions: dimensions).map {
                JSONValue.number(Double($0))
            }
            vectors.append(["values": .array(values)])
        }

        let scripted = state.nextReply(for: .gemini) ?? SimulatedReply()
        let faults = FaultSet(scripted.faults)
        let body: JSONValue = batch ? ["embeddings": .array(vectors)] : ["embedding": vectors[0]]
        var plan: ResponsePlan
        if let fault = faults.httpError {
            plan = GeminiWire.error(
                status: fault.status, statusName: fault.type, message: fault.message, quota: fault.code,
                retryAfter: fault.retryAfter, model: model)
        } else {
            plan = ResponsePlan(
                status: 200,
                headers: [("content-type", "application/json; charset=UTF-8")] + GeminiWire.headers,
                body: faults.body(Array(body.jsonString().utf8))
            )
        }
        faults.applyDelivery(to: &plan)
        plan.headers = ResponsePlan.merge(plan.headers, scripted.headers)
        return plan
    }

    private func countTokens(_ request: RecordedRequest) -> ResponsePlan {
        let json: JSONValue
        switch object(request) {
        case .success(let value): json = value
        case .failure(let failure): return failure.plan
        }
        let source = json["generateContentRequest"] ?? json
        guard case .array = source["contents"] else {
            return invalid("* CountTokensRequest.contents: contents is not specified\n")
        }
        let total = GeminiTranscript.estimatedInputTokens(
            contents: source["contents"], systemInstruction: source["systemInstruction"])
        let body: JSONValue = [
            "totalTokens": .integer(total),
            "promptTokensDetails": [["modality": "TEXT", "tokenCount": .integer(total)]],
        ]
        return .json(200, body.jsonString(), headers: GeminiWire.headers)
    }

    // MARK: Models

    private func modelObject(_ id: String) -> JSONValue {
        let embedding = id.contains("embedding")
        return [
            "name": .string("models/\(id)"),
            "version": "001",
            "displayName": .string(AnthropicEndpoints.displayName(for: id)),
            "description": .string("Simulated \(id)"),
            "inputTokenLimit": .integer(embedding ? 2048 : 1_048_576),
            "outputTokenLimit": .integer(embedding ? 1 : 65_536),
            "supportedGenerationMethods": embedding
                ? ["embedContent", "countTextTokens", "countTokens"]
                : ["generateContent", "countTokens", "createCachedContent", "batchGenerateContent"],
        ]
    }

    /// `GET /models` with `pageSize` (default 50, at most 1000) and `pageToken` paging; `nextPageToken`
    /// is present only when more models follow.
    private func models(_ request: RecordedRequest) -> ResponsePlan {
        let ids = state.models(for: .gemini)
        let size = min(1000, max(1, query(request, "pageSize").flatMap(Int.init) ?? 50))
        var start = 0
        if let token = query(request, "pageToken"), !token.isEmpty {
            guard let data = Data(base64Encoded: token), let offset = Int(String(decoding: data, as: UTF8.self)),
                (0...ids.count).contains(offset)
            else { return invalid("Invalid page token.") }
            start = offset
        }
        let end = min(ids.count, start + size)
        var body: [String: JSONValue] = ["models": .array(ids[start..<end].map(modelObject))]
        if end < ids.count { body["nextPageToken"] = .string(Data(String(end).utf8).base64EncodedString()) }
        return .json(200, JSONValue.object(body).jsonString(), headers: GeminiWire.headers)
    }

    private func model(_ id: String) -> ResponsePlan {
        guard state.models(for: .gemini).contains(id) else {
            return GeminiWire.error(
                status: 404,
                message: "models/\(id) is not found for API version v1beta, or is not supported for "
                    + "generateContent. Call ListModels to see the list of available models and their supported "
                    + "methods.")
        }
        return .json(200, modelObject(id).jsonString(), headers: GeminiWire.headers)
    }
}
