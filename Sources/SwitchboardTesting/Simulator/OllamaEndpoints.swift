import Foundation
import Switchboard

/// Answers Ollama's native API at the root: `/api/chat`, `/api/embed`, model management and `GET /`.
struct OllamaEndpoints: Sendable {
    let state: SimulatorState

    private var store: OllamaModelStore { state.ollama }

    /// Answers `request`; `path` is its path without the query.
    func respond(to request: RecordedRequest, path: String) -> ResponsePlan {
        if let rejection = unauthorized(request) { return rejection }
        let models = OllamaModelEndpoints(store: store)
        switch (request.method, path) {
        case ("GET", "/"): return OllamaWire.text(200, "Ollama is running")
        case ("HEAD", "/"): return OllamaWire.text(200, "")
        case ("POST", "/api/chat"): return chat(request)
        case ("POST", "/api/embed"): return embed(request)
        case ("GET", "/api/tags"): return models.tags()
        case ("GET", "/api/ps"): return models.processes()
        case ("POST", "/api/show"): return models.show(request)
        case ("POST", "/api/pull"): return models.pull(request)
        case ("DELETE", "/api/delete"): return models.delete(request)
        case ("GET", "/api/version"):
            return .json(200, #"{"version":"0.12.0"}"#, headers: [])
        default: return OllamaWire.text(404, "404 page not found")
        }
    }

    /// Local Ollama has no auth; when a key is required (as for ollama.com) it must come as a bearer token.
    private func unauthorized(_ request: RecordedRequest) -> ResponsePlan? {
        guard let required = state.requiredKey(for: .ollama) else { return nil }
        let header = request.header("authorization") ?? ""
        let key = header.lowercased().hasPrefix("bearer ") ? String(header.dropFirst("bearer ".count)) : ""
        return key == required ? nil : OllamaWire.error(status: 401, message: "unauthorized")
    }

    /// The request body as a JSON object, or the 400 response.
    static func object(_ request: RecordedRequest) -> Result<JSONValue, OllamaFailure> {
        guard !request.body.isEmpty else {
            return .failure(OllamaFailure(status: 400, message: "missing request body"))
        }
        guard let json = request.json, case .object = json else {
            return .failure(OllamaFailure(status: 400, message: "invalid character in request body"))
        }
        return .success(json)
    }

    /// The `model` (or legacy `name`) of a request body.
    static func modelName(_ json: JSONValue) -> String? {
        let name = json["model"]?.stringValue ?? json["name"]?.stringValue
        return name?.isEmpty == false ? name : nil
    }

    private func chat(_ request: RecordedRequest) -> ResponsePlan {
        let json: JSONValue
        switch Self.object(request) {
        case .success(let value): json = value
        case .failure(let failure): return failure.plan
        }
        guard let name = Self.modelName(json) else {
            return OllamaWire.error(status: 400, message: "model is required")
        }
        guard let model = store.installed(named: name) else {
            return OllamaWire.error(status: 404, message: "model \"\(name)\" not found, try pulling it first")
        }
        guard model.capabilities.contains("completion") else {
            return OllamaWire.error(status: 400, message: "\"\(name)\" does not support chat")
        }
        if case .array(let tools) = json["tools"], !tools.isEmpty, !model.capabilities.contains("tools") {
            return OllamaWire.error(
                status: 400, message: "registry.ollama.ai/library/\(model.name) does not support tools")
        }
        let keepAlive = OllamaKeepAlive(json["keep_alive"])
        var contextLength = min(model.contextLength, 4096)
        if case .integer(let requested) = json["options"]?["num_ctx"], requested > 0 { contextLength = requested }
        let streaming = json["stream"] != .bool(false)

        guard case .array(let messages) = json["messages"], !messages.isEmpty else {
            // No messages: only load (or with keep_alive 0 unload) the model.
            store.load(model, keepAlive: keepAlive, contextLength: contextLength)
            let body: JSONValue = [
                "model": .string(name),
                "created_at": .string(OllamaWire.timestamp(Date())),
                "message": ["role": "assistant", "content": ""],
                "done_reason": keepAlive == .unload ? "unload" : "load",
                "done": true,
            ]
            if streaming {
                return ResponsePlan(
                    status: 200, headers: [("content-type", OllamaWire.ndjsonContentType)],
                    body: .stream([.event(OllamaWire.line(body))]))
            }
            return .json(200, body.jsonString(), headers: [])
        }

        let scripted = state.nextReply(for: .ollama) ?? ChatTranscript.echoReply(to: json["messages"])
        let faults = FaultSet(scripted.faults)
        let reply = ResolvedReply(
            scripted,
            requestModel: name,
            estimatedInput: ChatTranscript.estimatedInputTokens(messages: json["messages"]),
            toolID: { _ in "" },
            finishReasons: ("stop", "stop")
        )
        let warm = faults.httpError == nil && store.load(model, keepAlive: keepAlive, contextLength: contextLength)
        let renderer = OllamaChatRenderer(
            reply: reply, toolCallIDs: scripted.toolCalls.map(\.id), started: Date(), warm: warm)
        let planner = ChatReplyPlanner(
            headers: { _, _, _ in [] },
            error: { status, _, message, _ in OllamaWire.error(status: status, message: message, model: name) },
            malformedEvent: OllamaWire.malformedLine,
            streamError: { _, message in OllamaWire.streamError(message: message) },
            streamContentType: OllamaWire.ndjsonContentType,
            streamHeaders: []
        )
        return planner.plan(
            scripted: scripted,
            faults: faults,
            streaming: streaming,
            requestID: "",
            httpError: { OllamaWire.error(status: $0.status, message: $0.message, model: name) },
            streamEvents: { renderer.lines() },
            body: { Array(renderer.body().jsonString().utf8) }
        )
    }

    private func embed(_ request: RecordedRequest) -> ResponsePlan {
        let json: JSONValue
        switch Self.object(request) {
        case .success(let value): json = value
        case .failure(let failure): return failure.plan
        }
        guard let name = Self.modelName(json) else {
            return OllamaWire.error(status: 400, message: "model is required")
        }
        guard let model = store.installed(named: name) else {
            return OllamaWire.error(status: 404, message: "model \"\(name)\" not found, try pulling it first")
        }
        guard model.capabilities.contains("embedding") else {
            return OllamaWire.error(status: 400, message: "\"\(name)\" does not support embeddings")
        }
        let texts: [String]
        switch json["input"] {
        case .string(let text): texts = [text]
        case .array(let items): texts = items.map { $0.stringValue ?? $0.jsonString() }
        case nil, .null?: texts = []
        default: return OllamaWire.error(status: 400, message: "invalid input type")
        }

        let scripted = state.nextReply(for: .ollama) ?? SimulatedReply()
        let faults = FaultSet(scripted.faults)
        // nomic-embed-text's length, so similarities are meaningful (see EmbeddingGenerator).
        var dimensions = 768
        if case .integer(let requested) = json["dimensions"], requested > 0 { dimensions = requested }
        let warm = store.load(
            model, keepAlive: OllamaKeepAlive(json["keep_alive"]), contextLength: min(model.contextLength, 4096))
        let tokens = texts.reduce(0) { $0 + max(1, TokenEstimator.words($1)) }
        let load: Int64 = warm ? 1_019_500 : 412_345_000
        let body: JSONValue = [
            "model": .string(scripted.model ?? name),
            "embeddings": .array(
                texts.map { text in
                    .array(EmbeddingGenerator.vector(for: text, dimensions: dimensions).map { .number(Double($0)) })
                }),
            "total_duration": .integer(Int(load + Int64(max(1, tokens)) * 1_500_000 + 2_000_000)),
            "load_duration": .integer(Int(load)),
            "prompt_eval_count": .integer(tokens),
        ]
        var plan: ResponsePlan
        if let httpError = faults.httpError {
            plan = OllamaWire.error(status: httpError.status, message: httpError.message, model: name)
        } else {
            plan = ResponsePlan(
                status: 200, headers: [("content-type", "application/json")],
                body: faults.body(Array(body.jsonString().utf8)))
        }
        faults.applyDelivery(to: &plan)
        plan.headers = ResponsePlan.merge(plan.headers, scripted.headers)
        return plan
    }
}
