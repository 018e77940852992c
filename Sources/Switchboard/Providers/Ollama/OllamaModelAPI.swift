import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Ollama's model-management endpoints: installed and loaded models, details, pull, delete, version.
public struct OllamaModelAPI: Sendable {
    public let configuration: OllamaConfiguration
    let transport: HTTPTransport

    public init(configuration: OllamaConfiguration, transport: HTTPTransport) {
        self.configuration = configuration
        self.transport = transport
    }

    private var id: ProviderID { configuration.id }

    /// The installed models (`GET /api/tags`).
    public func installedModels(logger: Logger) async throws -> [OllamaInstalledModel] {
        let response = try await send("/api/tags", method: .GET, logger: logger)
        let tags = try ProviderHTTP.decode(OllamaWire.TagsResponse.self, from: response.body, provider: id)
        return tags.models.map { tag in
            OllamaInstalledModel(
                name: tag.name ?? tag.model ?? "", size: tag.size ?? 0, digest: tag.digest ?? "",
                modifiedAt: tag.modifiedAt.flatMap(RateLimitHeaders.rfc3339), family: tag.details?.family,
                parameterSize: tag.details?.parameterSize, quantization: tag.details?.quantizationLevel,
                capabilities: tag.capabilities)
        }
    }

    /// The models loaded in memory (`GET /api/ps`).
    public func loadedModels(logger: Logger) async throws -> [OllamaLoadedModel] {
        let response = try await send("/api/ps", method: .GET, logger: logger)
        let loaded = try ProviderHTTP.decode(OllamaWire.PSResponse.self, from: response.body, provider: id)
        return loaded.models.map { model in
            OllamaLoadedModel(
                name: model.name ?? model.model ?? "", size: model.size ?? 0, vramSize: model.sizeVram ?? 0,
                digest: model.digest, expiresAt: model.expiresAt.flatMap(RateLimitHeaders.rfc3339),
                contextLength: model.contextLength)
        }
    }

    /// Details of one installed model (`POST /api/show`).
    public func details(of model: String, logger: Logger) async throws -> OllamaModelDetails {
        let response = try await send("/api/show", method: .POST, body: ["model": .string(model)], logger: logger)
        let show = try ProviderHTTP.decode(OllamaWire.ShowResponse.self, from: response.body, provider: id)
        let info = show.modelInfo ?? [:]
        let architecture = info["general.architecture"]?.stringValue ?? show.details?.family ?? ""
        let contextLength = [
            "\(architecture).context_length", "\(architecture).contextLength",
        ].lazy.compactMap { key -> Int? in
            if case .integer(let value) = info[key] { return value }
            return nil
        }.first
        return OllamaModelDetails(
            name: model, family: show.details?.family, parameterSize: show.details?.parameterSize,
            quantization: show.details?.quantizationLevel, contextLength: contextLength,
            capabilities: show.capabilities ?? [], modifiedAt: show.modifiedAt.flatMap(RateLimitHeaders.rfc3339))
    }

    /// Downloads `model` (`POST /api/pull`), yielding Ollama's progress lines as they arrive.
    /// Cancelling the iterating task cancels the download (Ollama resumes it on the next pull).
    public func pull(_ model: String, logger: Logger) async throws -> OllamaPullStream {
        var request = httpRequest("/api/pull", method: .POST, body: ["model": .string(model), "stream": true])
        request.headers.replaceOrAdd(name: "accept", value: "application/x-ndjson")
        let response: HTTPClientResponse
        do {
            response = try await transport.open(request, provider: id, logger: logger)
        } catch {
            throw OllamaErrorMapper.notRunning(error, host: configuration.host, provider: id)
        }
        guard response.status == .ok else {
            throw OllamaErrorMapper.error(
                status: Int(response.status.code), headers: response.headers,
                body: await ProviderHTTP.collectErrorBody(response), provider: id)
        }
        return OllamaPullStream(body: response.body, provider: id, model: model)
    }

    /// Removes an installed model (`DELETE /api/delete`).
    public func delete(_ model: String, logger: Logger) async throws {
        _ = try await send("/api/delete", method: .DELETE, body: ["model": .string(model)], logger: logger)
    }

    /// Unloads `model` from memory now: a chat with no messages and `keep_alive: 0` (§5.2), which
    /// generates nothing.
    public func unload(_ model: String, logger: Logger) async throws {
        _ = try await send(
            "/api/chat", method: .POST,
            body: ["model": .string(model), "messages": [], "keep_alive": 0, "stream": false], logger: logger)
    }

    /// The server's version (`GET /api/version`); a cheap liveness check.
    public func version(logger: Logger) async throws -> String {
        let response = try await send("/api/version", method: .GET, logger: logger)
        return try ProviderHTTP.decode(OllamaWire.VersionResponse.self, from: response.body, provider: id).version
    }

    func httpRequest(_ path: String, method: HTTPMethod, body: JSONValue? = nil) -> ProviderRequest {
        var headers: [(String, String)] = []
        if let apiKey = configuration.apiKey { headers.append(("authorization", "Bearer \(apiKey.value)")) }
        return ProviderHTTP.request(
            url: configuration.host.appending(path), method: method, headers: headers, body: body)
    }

    func send(
        _ path: String, method: HTTPMethod, body: JSONValue? = nil, logger: Logger
    ) async throws
        -> BufferedResponse
    {
        let response: BufferedResponse
        do {
            response = try await transport.send(
                httpRequest(path, method: method, body: body), provider: id, logger: logger)
        } catch {
            throw OllamaErrorMapper.notRunning(error, host: configuration.host, provider: id)
        }
        guard (200..<300).contains(response.status) else {
            throw OllamaErrorMapper.error(
                status: response.status, headers: response.headers, body: response.body, provider: id)
        }
        return response
    }
}

/// `/api/pull` progress lines as they arrive; throws when the pull fails (an `error` line, a cut
/// connection, or an end without `success`).
public struct OllamaPullStream: AsyncSequence, Sendable {
    public typealias Element = OllamaPullProgress

    let body: HTTPClientResponse.Body
    let provider: ProviderID
    let model: String

    public func makeAsyncIterator() -> Iterator {
        Iterator(body: body.makeAsyncIterator(), provider: provider, model: model)
    }

    public struct Iterator: AsyncIteratorProtocol {
        var body: HTTPClientResponse.Body.AsyncIterator
        let provider: ProviderID
        let model: String
        var decoder = JSONLinesDecoder()
        var pending: [OllamaPullProgress] = []
        var lines: [[UInt8]] = []
        var succeeded = false
        var ended = false

        public mutating func next() async throws -> OllamaPullProgress? {
            while pending.isEmpty {
                if ended { return nil }
                let buffer: ByteBuffer?
                do {
                    buffer = try await body.next()
                } catch {
                    ended = true
                    throw TransportErrorMapping.map(error, provider: provider, streamStarted: true)
                }
                lines.removeAll(keepingCapacity: true)
                if let buffer {
                    try decoder.decode(buffer, into: &lines)
                } else {
                    decoder.finish(into: &lines)
                    ended = true
                }
                for line in lines {
                    let progress = try ProviderHTTP.decode(
                        OllamaWire.PullLine.self, from: String(decoding: line, as: UTF8.self), provider: provider)
                    if let error = progress.error {
                        ended = true
                        throw OllamaErrorMapper.error(
                            status: nil, message: "pulling \(model) failed: \(error)", provider: provider)
                    }
                    let item = OllamaPullProgress(
                        status: progress.status ?? "", digest: progress.digest, total: progress.total,
                        completed: progress.completed)
                    if item.isSuccess { succeeded = true }
                    pending.append(item)
                }
                if ended && !succeeded {
                    throw ProviderError(
                        kind: .streamInterrupted, provider: provider,
                        message: "pulling \(model) ended before it succeeded")
                }
            }
            return pending.removeFirst()
        }
    }
}
