import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import Synchronization

/// The Ollama adapter over its native API (`/api/chat`, `/api/embed`, `/api/tags`).
public struct OllamaProvider: LanguageModelProvider {
    public let configuration: OllamaConfiguration
    /// The server's model-management endpoints.
    public let modelAPI: OllamaModelAPI
    let transport: HTTPTransport
    /// The installed models picked when requests name none (chat, embedding), so that lookup is not
    /// repeated on every request; forgotten when the model turns out to be gone.
    private let pickedModels = PickedModels()

    public init(configuration: OllamaConfiguration, transport: HTTPTransport) {
        self.configuration = configuration
        self.transport = transport
        self.modelAPI = OllamaModelAPI(configuration: configuration, transport: transport)
    }

    public var id: ProviderID { configuration.id }
    public var defaultModel: String? { configuration.defaultModel }
    public var isLocal: Bool { BaseURL.isLoopbackURL(configuration.host.string) }

    public func complete(_ request: ChatRequest, logger: Logger) async throws -> ChatResponse {
        let model = try await resolveModel(request.model, embedding: false, logger: logger)
        let body = try OllamaRequestEncoder.chatBody(
            request, model: model, options: configuration.options(for: model), stream: false, provider: id)
        let started = ContinuousClock.now
        let response = try await forgettingMissing(model) {
            try await modelAPI.send("/api/chat", method: .POST, body: body, logger: logger)
        }
        let latency = ContinuousClock.now - started
        let chat = try ProviderHTTP.decode(OllamaWire.ChatResponse.self, from: response.body, provider: id)
        let toolCalls = (chat.message?.toolCalls ?? []).enumerated().map { index, call in
            ToolCall(
                id: call.id ?? "call_\(index)", name: call.function?.name ?? "",
                arguments: (call.function?.arguments ?? [:]).jsonString())
        }
        return ChatResponse(
            message: .assistant(chat.message?.content ?? "", toolCalls: toolCalls),
            finishReason: OllamaWire.finishReason(chat.doneReason, sawToolCalls: !toolCalls.isEmpty),
            providerFinishReason: chat.doneReason,
            usage: chat.usage,
            provider: id,
            model: chat.model ?? model,
            latency: latency,
            timeToFirstToken: latency,
            performance: chat.performance
        )
    }

    public func stream(_ request: ChatRequest, logger: Logger) async throws -> ChatEventStream {
        let model = try await resolveModel(request.model, embedding: false, logger: logger)
        let body = try OllamaRequestEncoder.chatBody(
            request, model: model, options: configuration.options(for: model), stream: true, provider: id)
        var http = modelAPI.httpRequest("/api/chat", method: .POST, body: body)
        http.headers.replaceOrAdd(name: "accept", value: "application/x-ndjson")
        let deadline = ContinuousClock.now + transport.effectiveRequestTimeout
        let response: HTTPClientResponse
        do {
            response = try await transport.open(http, provider: id, logger: logger)
        } catch {
            throw OllamaErrorMapper.notRunning(error, host: configuration.host, provider: id)
        }
        guard response.status == .ok else {
            let error = OllamaErrorMapper.error(
                status: Int(response.status.code), headers: response.headers,
                body: await ProviderHTTP.collectErrorBody(response), provider: id)
            if error.kind == .notFound { pickedModels.forget(model) }
            throw error
        }
        return ChatEventStream(
            ProviderEventStream(
                body: response.body, decoder: JSONLinesDecoder(), mapper: OllamaStreamMapper(provider: id),
                provider: id, initialEvents: [.started(StreamStart(provider: id, model: model))], deadline: deadline))
    }

    public func models(logger: Logger) async throws -> [ModelInfo] {
        try await modelAPI.installedModels(logger: logger).map { model in
            ModelInfo(
                id: model.name, provider: id,
                displayName: [model.family, model.parameterSize, model.quantization].compactMap { $0 }.joined(
                    separator: " "),
                capabilities: Self.capabilities(of: model), createdAt: model.modifiedAt, ownedBy: "local")
        }
    }

    public func embed(_ request: EmbeddingRequest, logger: Logger) async throws -> EmbeddingResponse {
        let model = try await resolveModel(request.model, embedding: true, logger: logger)
        let body = OllamaRequestEncoder.embedBody(request, model: model, options: configuration.options(for: model))
        let response = try await forgettingMissing(model) {
            try await modelAPI.send("/api/embed", method: .POST, body: body, logger: logger)
        }
        let embed = try ProviderHTTP.decode(OllamaWire.EmbedResponse.self, from: response.body, provider: id)
        guard embed.embeddings.count == request.inputs.count else {
            throw ProviderError(
                kind: .invalidResponse, provider: id,
                message: "asked for \(request.inputs.count) embeddings, got \(embed.embeddings.count)")
        }
        return EmbeddingResponse(
            embeddings: embed.embeddings, model: embed.model ?? model, provider: id,
            usage: embed.promptEvalCount.map { Usage(inputTokens: $0) })
    }

    public func health(logger: Logger) async -> ProviderHealth {
        let started = ContinuousClock.now
        do {
            _ = try await modelAPI.version(logger: logger)
            return ProviderHealth(provider: id, status: .healthy, latency: ContinuousClock.now - started)
        } catch {
            return ProviderHealth(provider: id, status: .unavailable, detail: "\(error)")
        }
    }

    static func capabilities(of model: OllamaInstalledModel) -> ModelCapabilities {
        let names = Set(model.capabilities ?? [])
        if names.isEmpty {
            let family = (model.family ?? "").lowercased()
            return family.contains("bert") || model.name.contains("embed") ? [.embeddings] : [.chat, .streaming]
        }
        var capabilities: ModelCapabilities = []
        if names.contains("completion") { capabilities.formUnion([.chat, .streaming, .jsonOutput]) }
        if names.contains("tools") { capabilities.insert(.tools) }
        if names.contains("vision") { capabilities.insert(.vision) }
        if names.contains("embedding") { capabilities.insert(.embeddings) }
        return capabilities
    }

    /// The request's model, the configured default, or the first installed model that can do the job.
    private func resolveModel(_ model: String?, embedding: Bool, logger: Logger) async throws -> String {
        if let model, !model.isEmpty { return model }
        if let configured = embedding ? configuration.defaultEmbeddingModel : configuration.defaultModel {
            return configured
        }
        if let picked = pickedModels.model(embedding: embedding) { return picked }
        let installed = try await modelAPI.installedModels(logger: logger)
        let wanted: ModelCapabilities = embedding ? .embeddings : .chat
        guard let first = installed.first(where: { Self.capabilities(of: $0).contains(wanted) }) else {
            throw ProviderError(
                kind: .notConfigured, provider: id,
                message: "no local \(embedding ? "embedding" : "chat") model is installed; install one with "
                    + "`switchboard local pull \(embedding ? "nomic-embed-text" : "llama3.2")` or name one with --model"
            )
        }
        pickedModels.remember(first.name, embedding: embedding)
        return first.name
    }

    /// Runs `send`; when the model is not found, a picked default is forgotten so the next request looks again.
    private func forgettingMissing<T>(_ model: String, _ send: () async throws -> T) async throws -> T {
        do {
            return try await send()
        } catch let error as ProviderError where error.kind == .notFound {
            pickedModels.forget(model)
            throw error
        }
    }
}

/// The models an ``OllamaProvider`` picked for requests that name none.
private final class PickedModels: Sendable {
    private let picked = Mutex<[Bool: String]>([:])

    func model(embedding: Bool) -> String? { picked.withLock { $0[embedding] } }
    func remember(_ model: String, embedding: Bool) { picked.withLock { $0[embedding] = model } }
    func forget(_ model: String) { picked.withLock { $0 = $0.filter { $0.value != model } } }
}
