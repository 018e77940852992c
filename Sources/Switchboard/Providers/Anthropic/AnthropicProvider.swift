import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// The Anthropic Messages adapter.
public struct AnthropicProvider: LanguageModelProvider {
    public let configuration: AnthropicConfiguration
    let transport: HTTPTransport

    public init(configuration: AnthropicConfiguration, transport: HTTPTransport) {
        self.configuration = configuration
        self.transport = transport
    }

    public var id: ProviderID { configuration.id }
    public var defaultModel: String? { configuration.defaultModel }

    private var secrets: [String] { configuration.apiKey.map { [$0.value] } ?? [] }

    public func complete(_ request: ChatRequest, logger: Logger) async throws -> ChatResponse {
        let model = try resolvedModel(request.model)
        let body = AnthropicRequestEncoder.body(
            request, model: model, defaultMaxTokens: configuration.defaultMaxTokens, stream: false)
        let started = ContinuousClock.now
        let response = try await transport.send(
            httpRequest("/v1/messages", method: .POST, body: body), provider: id, logger: logger)
        let latency = ContinuousClock.now - started
        try check(response)
        let message = try ProviderHTTP.decode(AnthropicWire.Message.self, from: response.body, provider: id)
        var text = ""
        var toolCalls: [ToolCall] = []
        for block in message.content ?? [] {
            switch block.type {
            case "text": text += block.text ?? ""
            case "tool_use":
                toolCalls.append(
                    ToolCall(id: block.id ?? "", name: block.name ?? "", arguments: (block.input ?? [:]).jsonString()))
            default: continue
            }
        }
        return ChatResponse(
            id: message.id,
            message: .assistant(text, toolCalls: toolCalls),
            finishReason: AnthropicWire.finishReason(message.stopReason),
            providerFinishReason: message.stopReason,
            usage: message.usage?.normalized(),
            provider: id,
            model: message.model ?? model,
            providerRequestID: response.headers.first(name: "request-id"),
            latency: latency,
            timeToFirstToken: latency,
            rateLimit: RateLimitHeaders.anthropic(response.headers, now: Date())
        )
    }

    public func stream(_ request: ChatRequest, logger: Logger) async throws -> ChatEventStream {
        let model = try resolvedModel(request.model)
        let body = AnthropicRequestEncoder.body(
            request, model: model, defaultMaxTokens: configuration.defaultMaxTokens, stream: true)
        var http = httpRequest("/v1/messages", method: .POST, body: body)
        http.headers.replaceOrAdd(name: "accept", value: "text/event-stream")
        let deadline = ContinuousClock.now + transport.effectiveRequestTimeout
        let response = try await transport.open(http, provider: id, logger: logger)
        guard response.status == .ok else {
            let body = await ProviderHTTP.collectErrorBody(response)
            throw AnthropicErrorMapper.error(
                status: Int(response.status.code), headers: response.headers, body: body, provider: id,
                secrets: secrets, now: Date())
        }
        let requestID = response.headers.first(name: "request-id")
        let mapper = AnthropicStreamMapper(
            provider: id, secrets: secrets, requestID: requestID, requestedModel: model,
            rateLimit: RateLimitHeaders.anthropic(response.headers, now: Date()))
        return ChatEventStream(
            ProviderEventStream(
                body: response.body, decoder: ServerSentEventDecoder(), mapper: mapper, provider: id,
                initialEvents: [], deadline: deadline))
    }

    public func models(logger: Logger) async throws -> [ModelInfo] {
        var models: [ModelInfo] = []
        var after: String?
        for _ in 0..<20 {
            var path = "/v1/models?limit=1000"
            if let after { path += "&after_id=\(after)" }
            let response = try await transport.send(httpRequest(path, method: .GET), provider: id, logger: logger)
            try check(response)
            let page = try ProviderHTTP.decode(AnthropicWire.ModelList.self, from: response.body, provider: id)
            models += page.data.map { model in
                ModelInfo(
                    id: model.id, provider: id, displayName: model.displayName, contextWindow: model.maxInputTokens,
                    maxOutputTokens: model.maxTokens, capabilities: [.chat, .streaming, .tools, .vision, .jsonOutput],
                    createdAt: model.createdAt.flatMap(RateLimitHeaders.rfc3339))
            }
            guard page.hasMore == true, let last = page.lastId ?? page.data.last?.id else { break }
            after = last
        }
        return models
    }

    private func httpRequest(_ path: String, method: HTTPMethod, body: JSONValue? = nil) -> ProviderRequest {
        var headers: [(String, String)] = [("anthropic-version", configuration.version)]
        if let apiKey = configuration.apiKey { headers.append(("x-api-key", apiKey.value)) }
        return ProviderHTTP.request(
            url: configuration.baseURL.appending(path), method: method, headers: headers, body: body)
    }

    private func check(_ response: BufferedResponse) throws {
        guard (200..<300).contains(response.status) else {
            throw AnthropicErrorMapper.error(
                status: response.status, headers: response.headers, body: response.body, provider: id,
                secrets: secrets, now: Date())
        }
    }
}
