import Foundation
import NIOCore

/// Turns Google RPC errors into ``ProviderError`` (wire reference §4.6, §4.7).
enum GeminiErrorMapper {
    static func error(status: Int, body: ByteBuffer, provider: ProviderID, secrets: [String]) -> ProviderError {
        let data = Data(body.readableBytesView)
        let envelope =
            (try? ProviderHTTP.decoder.decode(GeminiWire.ErrorEnvelope.self, from: data))
            ?? (try? ProviderHTTP.decoder.decode([GeminiWire.ErrorEnvelope].self, from: data))?.first
        return error(
            status: status, body: envelope?.error, fallbackMessage: String(String(buffer: body).prefix(300)),
            provider: provider, secrets: secrets)
    }

    static func error(
        status: Int?, body: GeminiWire.ErrorBody?, fallbackMessage: String, provider: ProviderID, secrets: [String]
    ) -> ProviderError {
        let message = body?.message ?? (fallbackMessage.isEmpty ? "HTTP \(status ?? 0)" : fallbackMessage)
        let details = body?.details ?? []
        func detail(_ type: String) -> JSONValue? {
            details.first { $0["@type"]?.stringValue?.hasSuffix(type) == true }
        }
        let reason = detail("google.rpc.ErrorInfo")?["reason"]?.stringValue
        let retryAfter = detail("google.rpc.RetryInfo")?["retryDelay"]?.stringValue.flatMap(RateLimitHeaders.goDuration)
        let quotaIDs: [String] = {
            guard case .array(let violations)? = detail("google.rpc.QuotaFailure")?["violations"] else { return [] }
            return violations.compactMap { $0["quotaId"]?.stringValue }
        }()
        let code = status ?? body?.code
        var kind = code.map(HTTPErrorClassifier.kind(forStatus:)) ?? .server
        switch body?.status {
        case "INVALID_ARGUMENT":
            let lowered = message.lowercased()
            if reason == "API_KEY_INVALID" || lowered.contains("api key not valid") {
                kind = .authentication
            } else if lowered.contains("exceeds the maximum number of tokens") || lowered.contains("token count") {
                kind = .contextTooLong
            } else if code != 413 {
                kind = .invalidRequest
            }
        case "UNAUTHENTICATED": kind = .authentication
        case "FAILED_PRECONDITION", "PERMISSION_DENIED": kind = .permissionDenied
        case "NOT_FOUND": kind = .notFound
        case "RESOURCE_EXHAUSTED":
            kind = quotaIDs.contains { $0.contains("PerDay") } ? .quotaExceeded : .rateLimited
        case "INTERNAL": kind = .server
        case "UNAVAILABLE": kind = .overloaded
        case "DEADLINE_EXCEEDED": kind = .timeout
        case "CANCELLED": kind = .cancelled
        default: break
        }
        return ProviderError(
            kind: kind, provider: provider, status: status, providerErrorType: body?.status, providerErrorCode: reason,
            message: SecretRedactor.redact(message, secrets: secrets), retryAfter: retryAfter)
    }
}
