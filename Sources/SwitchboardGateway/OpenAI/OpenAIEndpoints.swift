import Foundation
import Hummingbird
import Switchboard

/// `POST /v1/chat/completions`, `POST /v1/embeddings`, `GET /v1/models` in OpenAI's format.
extension Gateway {
    func openAIChatCompletions(_ request: Request) async -> Response {
        await handle(request, .openAI) { caller, slot in
            let body = try await decode(OpenAIChatCompletionBody.self, from: request)
            var chat = try OpenAIRequestTranslator.chatRequest(body)
            try prepare(&chat, requestedModel: body.model, caller: caller)
            let requestID = Self.newRequestID()
            if body.stream == true {
                let encoder = OpenAIStreamEncoder(
                    requestID: requestID, created: now(), model: body.model ?? chat.model ?? "auto",
                    includeUsage: body.streamOptions?.includeUsage == true)
                return try await streamResponse(chat, request: request, slot: slot, encoder: encoder)
            }
            let response = try await complete(chat)
            return Self.json(
                body: ByteBuffer(
                    bytes: OpenAIResponseEncoder.chatCompletion(response, requestID: requestID, created: now())),
                headers: ServedHeaders.fields(for: response))
        }
    }

    func openAIEmbeddings(_ request: Request) async -> Response {
        await handle(request, .openAI) { caller, _ in
            let body = try await decode(OpenAIEmbeddingsBody.self, from: request)
            var embedding = try OpenAIRequestTranslator.embeddingRequest(body)
            try authorize(model: body.model, caller: caller)
            (embedding.model, embedding.provider) = resolver.resolve(body.model)
            caller.apply(to: &embedding.metadata)
            let response = try await client.embed(embedding)
            return Self.json(
                OpenAIResponseEncoder.embeddings(response, base64: body.encodingFormat == "base64"),
                headers: ServedHeaders.fields(provider: response.provider, model: response.model, attempts: nil))
        }
    }

    func openAIModels(_ request: Request) async -> Response {
        await handle(request, .openAI) { caller, _ in
            let models = try await client.models().filter { caller.allows(model: $0.id) }
            return Self.json(OpenAIResponseEncoder.models(models, created: now()))
        }
    }

    static func newRequestID() -> String {
        RequestIDs.hex()
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        json(body: ByteBuffer(json: value), status: status, headers: headers)
    }

    /// A response whose body is `body`, already JSON.
    static func json(body: ByteBuffer, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: body))
    }
}
