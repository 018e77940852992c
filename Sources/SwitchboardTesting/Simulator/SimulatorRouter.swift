import Switchboard

/// Records every request, then hands it to its provider's endpoints.
struct SimulatorRouter: Sendable {
    let state: SimulatorState

    /// The provider whose prefix `uri` starts with; Ollama owns `/` and `/api/...`.
    static func provider(forURI uri: String) -> SimulatedProvider? {
        let prefixed = SimulatedProvider.allCases.first { provider in
            !provider.pathPrefix.isEmpty
                && (uri == provider.pathPrefix || uri.hasPrefix(provider.pathPrefix + "/")
                    || uri.hasPrefix(provider.pathPrefix + "?"))
        }
        if let prefixed { return prefixed }
        let path = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return path == "/" || path == "/api" || path.hasPrefix("/api/") ? .ollama : nil
    }

    /// Records `request` and plans its response.
    func respond(to request: RecordedRequest) -> ResponsePlan {
        state.record(request)
        let path = request.pathWithoutQuery
        switch request.provider {
        case .openAI:
            let prefix = "/openai/v1"
            guard path.hasPrefix(prefix + "/") else {
                return OpenAIWire.error(
                    status: 404,
                    code: "unknown_url",
                    message: "Invalid URL (\(request.method) \(path))",
                    requestID: SimulatorIDs.requestID()
                )
            }
            return OpenAIEndpoints(state: state).respond(to: request, route: String(path.dropFirst(prefix.count)))
        case .anthropic:
            let route = String(path.dropFirst(SimulatedProvider.anthropic.pathPrefix.count))
            return AnthropicEndpoints(state: state).respond(to: request, route: route)
        case .gemini:
            let prefix = "/gemini/v1beta"
            guard path.hasPrefix(prefix + "/") else {
                return GeminiWire.error(status: 404, message: "Method not found: \(request.method) \(path)")
            }
            return GeminiEndpoints(state: state).respond(to: request, route: String(path.dropFirst(prefix.count)))
        case .ollama:
            return OllamaEndpoints(state: state).respond(to: request, path: path)
        case nil:
            let body: JSONValue = [
                "error": [
                    "message": .string(
                        "No simulated provider at \(path); use /openai/v1, /anthropic/v1, /gemini/v1beta or /api"),
                    "type": "not_found",
                ]
            ]
            return .json(404, body.jsonString(), headers: [])
        }
    }
}
