import Foundation
import NIOCore
import NIOHTTP1

/// Turns Anthropic error responses and `event: error` into ``ProviderError`` (wire reference §3.5).
enum AnthropicErrorMapper {
    static func error(
        status: Int, headers: HTTPHeaders, body: ByteBuffer, provider: ProviderID, secrets: [String], now: Date
    ) -> ProviderError {
        let envelope = try? ProviderHTTP.decoder.decode(
            AnthropicWire.ErrorEnvelope.self, from: Data(body.readableBytesView))
        var mapped = error(
            status: status, body: envelope?.error, fallbackMessage: String(String(buffer: body).prefix(300)),
            provider: provider, secrets: secrets, retryAfter: RateLimitHeaders.retryAfter(headers, now: now),
            requestID: headers.first(name: "request-id") ?? envelope?.requestId)
        if let advice = headers.first(name: "x-should-retry") { mapped.shouldRetry = advice == "true" }
        return mapped
    }

    static func error(
        status: Int?, body: AnthropicWire.ErrorBody?, fallbackMessage: String, provider: ProviderID,
        secrets: [String], retryAfter: Duration?, requestID: String?
    ) -> ProviderError {
        let message = body?.message ?? (fallbackMessage.isEmpty ? "HTTP \(status ?? 0)" : fallbackMessage)
        var kind = status.map(HTTPErrorClassifier.kind(forStatus:)) ?? .server
        switch body?.type {
        case "invalid_request_error":
            let lowered = message.lowercased()
            kind =
                lowered.contains("prompt is too long") || lowered.contains("context window")
                ? .contextTooLong : .invalidRequest
        case "authentication_error": kind = .authentication
        case "billing_error": kind = .quotaExceeded
        case "permission_error": kind = .permissionDenied
        case "not_found_error": kind = .notFound
        case "request_too_large": kind = .requestTooLarge
        case "rate_limit_error": kind = .rateLimited
        case "timeout_error": kind = .timeout
        case "overloaded_error": kind = .overloaded
        case "api_error" where status == nil: kind = .server
        default: break
        }
        return ProviderError(
            kind: kind, provider: provider, status: status, providerErrorType: body?.type,
            message: SecretRedactor.redact(message, secrets: secrets), retryAfter: retryAfter,
            providerRequestID: requestID)
    }
}
