import Hummingbird
import Switchboard

/// `POST /api/chat`, `POST /api/generate`, `POST /api/embed` and `GET /api/tags` in Ollama's format.
/// Streaming is the default, as in Ollama; `"stream": false` answers with one object.
extension Gateway {
    func ollamaChat(_ request: Request) async -> Response {
        await handle(request, .ollama) { caller, slot in
            let body = try await decode(OllamaChatBody.self, from: request)
            var chat = try OllamaRequestTranslator.chatRequest(body)
            try prepare(&chat, requestedModel: body.model, caller: caller)
            return try await ollamaReply(chat, shape: .chat, stream: body.stream ?? true, request: request, slot: slot)
        }
    }

    func ollamaGenerate(_ request: Request) async -> Response {
        await handle(request, .ollama) { caller, slot in
            let body = try await decode(OllamaGenerateBody.self, from: request)
            var chat = try OllamaRequestTranslator.generateRequest(body)
            try prepare(&chat, requestedModel: body.model, caller: caller)
            return try await ollamaReply(
                chat, shape: .generate, stream: body.stream ?? true, request: request, slot: slot)
        }
    }

    private func ollamaReply(
        _ chat: ChatRequest, shape: OllamaResponseEncoder.Shape, stream: Bool, request: Request, slot: RequestSlot
    ) async throws -> Response {
        if stream {
            let encoder = OllamaStreamEncoder(shape: shape, model: chat.model ?? "auto", created: now())
            return try await streamResponse(chat, request: request, slot: slot, encoder: encoder)
        }
        let response = try await complete(chat)
        return Self.json(
            OllamaResponseEncoder.reply(response, shape: shape, created: now()),
            headers: ServedHeaders.fields(for: response))
    }

    func ollamaEmbed(_ request: Request) async -> Response {
        await handle(request, .ollama) { caller, _ in
            let body = try await decode(OllamaEmbedBody.self, from: request)
            try authorize(model: body.model, caller: caller)
            var embedding = EmbeddingRequest(inputs: body.input.values, dimensions: body.dimensions)
            (embedding.model, embedding.provider) = resolver.resolve(body.model)
            caller.apply(to: &embedding.metadata)
            let response = try await client.embed(embedding)
            return Self.json(
                OllamaResponseEncoder.embeddings(response),
                headers: ServedHeaders.fields(provider: response.provider, model: response.model, attempts: nil))
        }
    }

    func ollamaTags(_ request: Request) async -> Response {
        await handle(request, .ollama) { caller, _ in
            let models = try await client.models().filter { caller.allows(model: $0.id) }
            return Self.json(OllamaResponseEncoder.tags(models, created: now()))
        }
    }
}
