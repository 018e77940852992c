import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// The Google Gemini adapter (Generative Language API `v1beta`).
public struct GeminiProvider: LanguageModelProvider {
    public let configuration: GeminiConfiguration
    let transport: HTTPTransport

    public init(configuration: GeminiConfiguration, transport: HTTPTransport) {
        self.configuration = configuration
        self.transport = transport
    }

    public var id: ProviderID { configuration.id }
    public var defaultModel: String? { configuration.defaultModel }

    private var secrets: [String] { configuration.apiKey.map { [$0.value] } ?? [] }

    public func complete(_ request: ChatRequest, logger: Logger) async throws -> ChatResponse {
        let model = try resolvedModel(request.model)
        let body = try GeminiRequestEncoder.generateBody(request, provider: id)
        let started = ContinuousClock.now
        let response = try await send("/\(GeminiWire.resourceName(model)):generateContent", body: body, logger: logger)
        let latency = ContinuousClock.now - started
        let generated = try ProviderHTTP.decode(GeminiWire.GenerateResponse.self, from: response.body, provider: id)
        if let blocked = generated.promptFeedback?.blockReason, generated.candidates?.isEmpty ?? true {
            throw Self.blockedPrompt(blocked, message: generated.promptFeedback?.blockReasonMessage, provider: id)
        }
        let candidate = generated.candidates?.first
        var text = ""
        var toolCalls: [ToolCall] = []
        for part in candidate?.content?.parts ?? [] {
            if let value = part.text, part.thought != true { text += value }
            if let call = part.functionCall {
                toolCalls.append(
                    ToolCall(
                        id: call.id ?? "call_\(toolCalls.count)", name: call.name ?? "",
                        arguments: (call.args ?? [:]).jsonString(), signature: part.thoughtSignature))
            }
        }
        return ChatResponse(
            id: generated.responseId,
            message: .assistant(text, toolCalls: toolCalls),
            finishReason: GeminiWire.finishReason(candidate?.finishReason, sawToolCalls: !toolCalls.isEmpty),
            providerFinishReason: candidate?.finishReason,
            usage: generated.usageMetadata?.normalized,
            provider: id,
            model: generated.modelVersion ?? model,
            providerRequestID: generated.responseId,
            latency: latency,
            timeToFirstToken: latency
        )
    }

    public func stream(_ request: ChatRequest, logger: Logger) async throws -> ChatEventStream {
        let model = try resolvedModel(request.model)
        let body = try GeminiRequestEncoder.generateBody(request, provider: id)
        var http = httpRequest(
            "/\(GeminiWire.resourceName(model)):streamGenerateContent?alt=sse", method: .POST, body: body)
        http.headers.replaceOrAdd(name: "accept", value: "text/event-stream")
        let deadline = ContinuousClock.now + transport.effectiveRequestTimeout
        let response = try await transport.open(http, provider: id, logger: logger)
        guard response.status == .ok else {
            throw GeminiErrorMapper.error(
                status: Int(response.status.code), body: await ProviderHTTP.collectErrorBody(response), provider: id,
                secrets: secrets)
        }
        return ChatEventStream(
            ProviderEventStream(
                body: response.body, decoder: ServerSentEventDecoder(),
                mapper: GeminiStreamMapper(provider: id, secrets: secrets), provider: id,
                initialEvents: [.started(StreamStart(provider: id, model: model))], deadline: deadline))
    }

    public func models(logger: Logger) async throws -> [ModelInfo] {
        var models: [ModelInfo] = []
        var pageToken: String?
        for _ in 0..<20 {
            var path = "/models?pageSize=1000"
            if let pageToken {
                path += "&pageToken=\(pageToken.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
            }
            let response = try await send(path, method: .GET, logger: logger)
            let page = try ProviderHTTP.decode(GeminiWire.ModelList.self, from: response.body, provider: id)
            models += (page.models ?? []).map { model in
                let methods = Set(model.supportedGenerationMethods ?? [])
                var capabilities: ModelCapabilities = []
                if methods.contains("generateContent") {
                    capabilities.formUnion([.chat, .streaming, .tools, .vision, .jsonOutput])
                }
                if methods.contains("embedContent") || methods.contains("batchEmbedContents") {
                    capabilities.insert(.embeddings)
                }
                return ModelInfo(
                    id: model.name.hasPrefix("models/") ? String(model.name.dropFirst(7)) : model.name, provider: id,
                    displayName: model.displayName, contextWindow: model.inputTokenLimit,
                    maxOutputTokens: model.outputTokenLimit, capabilities: capabilities, ownedBy: "google")
            }
            guard let next = page.nextPageToken, !next.isEmpty else { break }
            pageToken = next
        }
        return models
    }

    public func embed(_ request: EmbeddingRequest, logger: Logger) async throws -> EmbeddingResponse {
        guard let model = request.model ?? configuration.defaultEmbeddingModel else {
            throw ProviderError(kind: .notConfigured, provider: id, message: "no embedding model given or configured")
        }
        let body = GeminiRequestEncoder.batchEmbedBody(request, model: model)
        let response = try await send(
            "/\(GeminiWire.resourceName(model)):batchEmbedContents", body: body, logger: logger)
        let batch = try ProviderHTTP.decode(GeminiWire.BatchEmbedResponse.self, from: response.body, provider: id)
        guard batch.embeddings.count == request.inputs.count else {
            throw ProviderError(
                kind: .invalidResponse, provider: id,
                message: "asked for \(request.inputs.count) embeddings, got \(batch.embeddings.count)")
        }
        return EmbeddingResponse(embeddings: batch.embeddings.map(\.values), model: model, provider: id, usage: nil)
    }

    /// The prompt tokens `request` would use (`countTokens`), without generating anything.
    public func countTokens(_ request: ChatRequest, logger: Logger) async throws -> Int {
        let model = try resolvedModel(request.model)
        var generate = try GeminiRequestEncoder.generateBody(request, provider: id)
        if case .object(var object) = generate {
            object["model"] = .string(GeminiWire.resourceName(model))
            generate = .object(object)
        }
        let response = try await send(
            "/\(GeminiWire.resourceName(model)):countTokens", body: ["generateContentRequest": generate], logger: logger
        )
        return try ProviderHTTP.decode(GeminiWire.CountTokensResponse.self, from: response.body, provider: id)
            .totalTokens
    }

    static func blockedPrompt(_ reason: String, message: String?, provider: ProviderID) -> ProviderError {
        ProviderError(
            kind: .contentFiltered, provider: provider, providerErrorType: "promptFeedback.blockReason",
            providerErrorCode: reason,
            message: "the prompt was blocked (\(reason))" + (message.map { ": \($0)" } ?? ""))
    }

    private func httpRequest(_ path: String, method: HTTPMethod, body: JSONValue? = nil) -> ProviderRequest {
        var headers: [(String, String)] = []
        if let apiKey = configuration.apiKey { headers.append(("x-goog-api-key", apiKey.value)) }
        return ProviderHTTP.request(
            url: configuration.baseURL.appending(path), method: method, headers: headers, body: body)
    }

    private func send(
        _ path: String, method: HTTPMethod = .POST, body: JSONValue? = nil, logger: Logger
    ) async throws -> BufferedResponse {
        let response = try await transport.send(
            httpRequest(path, method: method, body: body), provider: id, logger: logger)
        guard (200..<300).contains(response.status) else {
            throw GeminiErrorMapper.error(status: response.status, body: response.body, provider: id, secrets: secrets)
        }
        return response
    }
}
