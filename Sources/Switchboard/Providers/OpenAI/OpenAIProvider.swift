import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// The OpenAI Chat Completions adapter; works with any OpenAI-compatible server.
public struct OpenAIProvider: LanguageModelProvider {
    public let configuration: OpenAIConfiguration
    let transport: HTTPTransport

    public init(configuration: OpenAIConfiguration, transport: HTTPTransport) {
        self.configuration = configuration
        self.transport = transport
    }

    public var id: ProviderID { configuration.id }
    public var defaultModel: String? { configuration.defaultModel }
    public var isLocal: Bool { configuration.isLocal }

    private var secrets: [String] { configuration.apiKey.map { [$0.value] } ?? [] }

    public func complete(_ request: ChatRequest, logger: Logger) async throws -> ChatResponse {
        let model = try resolvedModel(request.model)
        let body = OpenAIRequestEncoder.chatBody(
            request, model: model, stream: false, usesLegacyMaxTokens: configuration.usesLegacyMaxTokens)
        let started = ContinuousClock.now
        let response = try await transport.send(
            httpRequest("/chat/completions", method: .POST, body: body), provider: id, logger: logger)
        let latency = ContinuousClock.now - started
        try check(response)
        let completion = try ProviderHTTP.decode(OpenAIWire.ChatCompletion.self, from: response.body, provider: id)
        guard let choice = completion.choices?.first else {
            throw ProviderError(
                kind: .invalidResponse, provider: id, message: "the response has no choices",
                providerRequestID: response.headers.first(name: "x-request-id"))
        }
        let toolCalls = (choice.message?.toolCalls ?? []).map { call in
            ToolCall(id: call.id ?? "", name: call.function?.name ?? "", arguments: call.function?.arguments ?? "")
        }
        let text = choice.message?.content ?? choice.message?.refusal ?? ""
        return ChatResponse(
            id: completion.id,
            message: .assistant(text, toolCalls: toolCalls),
            finishReason: OpenAIWire.finishReason(choice.finishReason),
            providerFinishReason: choice.finishReason,
            usage: completion.usage?.normalized,
            provider: id,
            model: completion.model ?? model,
            providerRequestID: response.headers.first(name: "x-request-id"),
            latency: latency,
            timeToFirstToken: latency,
            rateLimit: RateLimitHeaders.openAI(response.headers, now: Date())
        )
    }

    public func stream(_ request: ChatRequest, logger: Logger) async throws -> ChatEventStream {
        let model = try resolvedModel(request.model)
        let body = OpenAIRequestEncoder.chatBody(
            request, model: model, stream: true, usesLegacyMaxTokens: configuration.usesLegacyMaxTokens)
        var http = httpRequest("/chat/completions", method: .POST, body: body)
        http.headers.replaceOrAdd(name: "accept", value: "text/event-stream")
        let deadline = ContinuousClock.now + transport.effectiveRequestTimeout
        let response = try await transport.open(http, provider: id, logger: logger)
        let requestID = response.headers.first(name: "x-request-id")
        guard response.status == .ok else {
            let body = await ProviderHTTP.collectErrorBody(response)
            throw OpenAIErrorMapper.error(
                status: Int(response.status.code), headers: response.headers, body: body, provider: id,
                secrets: secrets, now: Date())
        }
        let start = StreamStart(
            provider: id, model: model, providerRequestID: requestID,
            rateLimit: RateLimitHeaders.openAI(response.headers, now: Date()))
        return ChatEventStream(
            ProviderEventStream(
                body: response.body, decoder: ServerSentEventDecoder(),
                mapper: OpenAIStreamMapper(provider: id, secrets: secrets, requestID: requestID), provider: id,
                initialEvents: [.started(start)], deadline: deadline))
    }

    public func models(logger: Logger) async throws -> [ModelInfo] {
        let response = try await transport.send(
            httpRequest("/models", method: .GET), provider: id, logger: logger)
        try check(response)
        let list = try ProviderHTTP.decode(OpenAIWire.ModelList.self, from: response.body, provider: id)
        return list.data.map { model in
            ModelInfo(
                id: model.id, provider: id,
                capabilities: model.id.contains("embedding")
                    ? [.embeddings] : [.chat, .streaming, .tools, .jsonOutput],
                createdAt: model.created.map { Date(timeIntervalSince1970: TimeInterval($0)) },
                ownedBy: model.ownedBy)
        }
    }

    public func embed(_ request: EmbeddingRequest, logger: Logger) async throws -> EmbeddingResponse {
        guard let model = request.model ?? configuration.defaultEmbeddingModel else {
            throw ProviderError(kind: .notConfigured, provider: id, message: "no embedding model given or configured")
        }
        let body = OpenAIRequestEncoder.embeddingsBody(request, model: model)
        let response = try await transport.send(
            httpRequest("/embeddings", method: .POST, body: body), provider: id, logger: logger)
        try check(response)
        let list = try ProviderHTTP.decode(OpenAIWire.EmbeddingList.self, from: response.body, provider: id)
        guard list.data.count == request.inputs.count else {
            throw ProviderError(
                kind: .invalidResponse, provider: id,
                message: "asked for \(request.inputs.count) embeddings, got \(list.data.count)")
        }
        return EmbeddingResponse(
            embeddings: list.data.sorted { $0.index < $1.index }.map(\.embedding),
            model: list.model ?? model, provider: id, usage: list.usage?.normalized)
    }

    private func httpRequest(_ path: String, method: HTTPMethod, body: JSONValue? = nil) -> ProviderRequest {
        var headers: [(String, String)] = []
        if let apiKey = configuration.apiKey { headers.append(("authorization", "Bearer \(apiKey.value)")) }
        if let organization = configuration.organization { headers.append(("openai-organization", organization)) }
        if let project = configuration.project { headers.append(("openai-project", project)) }
        return ProviderHTTP.request(
            url: configuration.baseURL.appending(path), method: method, headers: headers, body: body)
    }

    private func check(_ response: BufferedResponse) throws {
        guard (200..<300).contains(response.status) else {
            throw OpenAIErrorMapper.error(
                status: response.status, headers: response.headers, body: response.body, provider: id,
                secrets: secrets, now: Date())
        }
    }
}
