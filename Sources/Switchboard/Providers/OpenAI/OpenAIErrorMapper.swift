import Foundation
import NIOCore
import NIOHTTP1

/// Turns OpenAI error responses and in-stream errors into ``ProviderError`` (wire reference §2.5).
enum OpenAIErrorMapper {
    static func error(
        status: Int, headers: HTTPHeaders, body: ByteBuffer, provider: ProviderID, secrets: [String], now: Date
    ) -> ProviderError {
        let envelope = try? ProviderHTTP.explicitKeysDecoder.decode(
            OpenAIWire.ErrorEnvelope.self, from: Data(body.readableBytesView))
        let fallback = String(buffer: body).prefix(300)
        var mapped = error(
            status: status, body: envelope?.error, fallbackMessage: String(fallback), provider: provider,
            secrets: secrets, retryAfter: RateLimitHeaders.retryAfter(headers, now: now),
            requestID: headers.first(name: "x-request-id"))
        if let advice = headers.first(name: "x-should-retry") { mapped.shouldRetry = advice == "true" }
        return mapped
    }

    static func error(
        status: Int?, body: OpenAIWire.ErrorBody?, fallbackMessage: String, provider: ProviderID, secrets: [String],
        retryAfter: Duration?, requestID: String?
    ) -> ProviderError {
        let type = body?.type
        let code = body?.code?.value
        var kind = status.map(HTTPErrorClassifier.kind(forStatus:)) ?? .server
        switch (type, code) {
        case (_, "context_length_exceeded"), (_, "string_above_max_length"): kind = .contextTooLong
        case (_, "insufficient_quota"), ("insufficient_quota", _): kind = .quotaExceeded
        case (_, "invalid_api_key"): kind = .authentication
        case (_, "model_not_found"): kind = .notFound
        case (_, "content_filter"), (_, "content_policy_violation"): kind = .contentFiltered
        case (_, "rate_limit_exceeded") where status == nil: kind = .rateLimited
        case ("server_error", _) where status == nil: kind = .server
        default: break
        }
        let message = body?.message ?? (fallbackMessage.isEmpty ? "HTTP \(status ?? 0)" : fallbackMessage)
        return ProviderError(
            kind: kind, provider: provider, status: status, providerErrorType: type, providerErrorCode: code,
            message: SecretRedactor.redact(message, secrets: secrets), retryAfter: retryAfter,
            providerRequestID: requestID)
    }
}
