import Hummingbird
import Switchboard

/// `POST /v1/messages`, `POST /v1/messages/count_tokens` and `GET /v1/models` in Anthropic's format.
extension Gateway {
    func anthropicMessages(_ request: Request) async -> Response {
        await handle(request, .anthropic) { caller, slot in
            let body = try await decode(AnthropicMessagesBody.self, from: request)
            var chat = try AnthropicRequestTranslator.chatRequest(body, requireMaxTokens: true)
            try prepare(&chat, requestedModel: body.model, caller: caller)
            let requestID = Self.newRequestID()
            if body.stream == true {
                let encoder = AnthropicStreamEncoder(requestID: requestID, model: body.model ?? chat.model ?? "auto")
                return try await streamResponse(chat, request: request, slot: slot, encoder: encoder)
            }
            let response = try await complete(chat)
            return Self.json(
                AnthropicResponseEncoder.message(response, requestID: requestID),
                headers: ServedHeaders.fields(for: response))
        }
    }

    /// Estimates with the client's ``TokenEstimator`` for the provider the model resolves to.
    func anthropicCountTokens(_ request: Request) async -> Response {
        await handle(request, .anthropic) { caller, _ in
            let body = try await decode(AnthropicMessagesBody.self, from: request)
            var chat = try AnthropicRequestTranslator.chatRequest(body, requireMaxTokens: false)
            try prepare(&chat, requestedModel: body.model, caller: caller)
            let provider = chat.provider ?? client.defaultProvider ?? client.providers.first?.id ?? .anthropic
            return Self.json(["input_tokens": .integer(estimator.inputTokens(for: chat, provider: provider))])
        }
    }

    func anthropicModels(_ request: Request) async -> Response {
        await handle(request, .anthropic) { caller, _ in
            let models = try await client.models().filter { caller.allows(model: $0.id) }
            return Self.json(AnthropicResponseEncoder.models(models, created: now()))
        }
    }
}
