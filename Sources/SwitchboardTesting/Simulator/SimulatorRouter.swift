import Switchboard

/// Records every request, then hands it to its provider's endpoints.
struct SimulatorRouter: Sendable {
    let state: SimulatorState

    /// The provider whose prefix `uri` starts with.
    static func provider(forURI uri: String) -> SimulatedProvider? {
        SimulatedProvider.allCases.first { provider in
            uri == provider.pathPrefix || uri.hasPrefix(provider.pathPrefix + "/")
                || uri.hasPrefix(provider.pathPrefix + "?")
        }
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
        case nil:
            let body: JSONValue = [
                "error": [
                    "message": .string("No simulated provider at \(path); use /openai/v1 or /anthropic/v1"),
                    "type": "not_found",
                ]
            ]
            return .json(404, body.jsonString(), headers: [])
        }
    }
}
