import Foundation
import NIOCore
import NIOHTTP1

/// Turns Ollama's `{"error": "…"}` answers and connection failures into ``ProviderError`` (§5.6).
enum OllamaErrorMapper {
    static func error(status: Int?, headers: HTTPHeaders, body: ByteBuffer, provider: ProviderID) -> ProviderError {
        let decoded = try? ProviderHTTP.decoder.decode(OllamaWire.ErrorBody.self, from: Data(body.readableBytesView))
        let message = decoded?.error ?? String(String(buffer: body).prefix(300))
        var error = error(
            status: status, message: message.isEmpty ? "HTTP \(status ?? 0)" : message, provider: provider)
        error.retryAfter = RateLimitHeaders.retryAfter(headers, now: Date())
        return error
    }

    static func error(status: Int?, message: String, provider: ProviderID) -> ProviderError {
        let lowered = message.lowercased()
        var kind = status.map(HTTPErrorClassifier.kind(forStatus:)) ?? .server
        if lowered.contains("server busy") || lowered.contains("maximum pending requests") {
            kind = .overloaded
        } else if lowered.contains("not found") || lowered.contains("does not exist") {
            kind = .notFound
        } else if lowered.contains("context length") || lowered.contains("context window") {
            kind = .contextTooLong
        }
        var text = message
        if status == 404, lowered.contains("model") {
            text += " — install it with `switchboard local pull NAME`"
        }
        return ProviderError(kind: kind, provider: provider, status: status, message: text)
    }

    /// A connection failure before any answer means the server is not running.
    static func notRunning(_ error: any Error, host: BaseURL, provider: ProviderID) -> any Error {
        guard let error = error as? ProviderError, error.kind == .network else { return error }
        return ProviderError(
            kind: .network, provider: provider,
            message: "Ollama is not running at \(host) (\(error.message)); start it with `ollama serve` "
                + "or the Ollama app, or point OLLAMA_HOST at a running server")
    }
}
