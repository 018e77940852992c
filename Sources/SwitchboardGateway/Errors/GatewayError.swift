import Switchboard

/// A failure the gateway answers with, before it is put in the caller's protocol's error format.
///
/// Built from a ``ProviderError`` (upstream failures and the pipeline's own refusals) or by the
/// gateway itself (bad key, body too large, too many requests). ``InboundProtocol`` renders it.
public struct GatewayError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, in terms every inbound protocol can express.
    public enum Kind: String, Hashable, Sendable {
        case invalidRequest, authentication, permissionDenied, notFound, requestTooLarge
        case rateLimited, quotaExceeded, overloaded, upstream, timeout, unavailable, `internal`
    }

    public var kind: Kind
    /// The HTTP status to answer with.
    public var status: Int
    /// Safe to show the caller: never a key.
    public var message: String
    /// The request field at fault (OpenAI's `param`).
    public var parameter: String?
    /// A machine-readable code (OpenAI's `code`): `invalid_api_key`, `rate_limit_exceeded`, …
    public var code: String?
    /// How long the caller should wait before trying again.
    public var retryAfter: Duration?
    /// Whether sending the same request again may succeed (the SDKs' `x-should-retry`).
    public var shouldRetry: Bool?

    public init(
        kind: Kind, status: Int, message: String, parameter: String? = nil, code: String? = nil,
        retryAfter: Duration? = nil, shouldRetry: Bool? = nil
    ) {
        self.kind = kind
        self.status = status
        self.message = message
        self.parameter = parameter
        self.code = code
        self.retryAfter = retryAfter
        self.shouldRetry = shouldRetry
    }

    public var description: String { "\(status) \(kind.rawValue): \(message)" }

    static func invalidRequest(_ message: String, parameter: String? = nil) -> GatewayError {
        GatewayError(kind: .invalidRequest, status: 400, message: message, parameter: parameter)
    }

    static let missingKey = GatewayError(
        kind: .authentication, status: 401,
        message: "No API key provided. Send a Switchboard gateway key as 'Authorization: Bearer <key>' or 'x-api-key'.",
        code: "invalid_api_key")

    static let invalidKey = GatewayError(
        kind: .authentication, status: 401, message: "Incorrect API key provided.", code: "invalid_api_key")

    static func tooLarge(limit: Int) -> GatewayError {
        GatewayError(
            kind: .requestTooLarge, status: 413, message: "The request body is larger than \(limit) bytes.",
            code: "request_too_large")
    }

    static func busy(_ what: String) -> GatewayError {
        GatewayError(
            kind: .rateLimited, status: 429,
            message: "The gateway is serving its maximum number of \(what); try again.",
            code: "gateway_busy", retryAfter: .seconds(1), shouldRetry: true)
    }

    /// The gateway's answer to a failure of the pipeline or a provider.
    public init(_ error: ProviderError) {
        let retry = error.isRetryable
        switch error.kind {
        case .rateLimited:
            self.init(
                kind: .rateLimited, status: 429, message: error.message, code: "rate_limit_exceeded",
                retryAfter: error.retryAfter, shouldRetry: retry)
        case .quotaExceeded:
            self.init(kind: .quotaExceeded, status: 429, message: error.message, code: "insufficient_quota")
            shouldRetry = false
        case .budgetExceeded:
            // Like a provider's exhausted quota: the SDKs raise their rate-limit error, and waiting seconds won't help.
            self.init(kind: .quotaExceeded, status: 429, message: error.message, code: "budget_exceeded")
            shouldRetry = false
        case .invalidRequest:
            self.init(kind: .invalidRequest, status: 400, message: error.message, code: error.providerErrorCode)
        case .contextTooLong:
            self.init(kind: .invalidRequest, status: 400, message: error.message, code: "context_length_exceeded")
        case .contentFiltered:
            self.init(kind: .invalidRequest, status: 400, message: error.message, code: "content_filter")
        case .notFound:
            self.init(kind: .notFound, status: 404, message: error.message, code: "model_not_found")
        case .permissionDenied:
            self.init(kind: .permissionDenied, status: 403, message: error.message)
        case .requestTooLarge:
            self.init(kind: .requestTooLarge, status: 413, message: error.message, code: "request_too_large")
        case .overloaded:
            self.init(
                kind: .overloaded, status: 503, message: error.message, retryAfter: error.retryAfter,
                shouldRetry: retry)
        case .timeout:
            self.init(kind: .timeout, status: 504, message: error.message, shouldRetry: retry)
        case .offline:
            // No external provider is reachable and no local one may answer; the connectivity header says so too.
            self.init(kind: .unavailable, status: 503, message: error.message, code: "offline", shouldRetry: false)
        case .notConfigured, .noRoute:
            self.init(kind: .unavailable, status: 503, message: error.message, code: "no_route", shouldRetry: false)
        case .authentication:
            // The gateway's own key for the provider was refused: not the caller's fault, and not a reason for
            // the caller's SDK to think its gateway key is wrong.
            self.init(
                kind: .upstream, status: 502,
                message: "the provider refused the gateway's credentials: \(error.message)",
                shouldRetry: false)
        default:
            self.init(
                kind: .upstream, status: 502, message: error.message, retryAfter: error.retryAfter, shouldRetry: retry)
        }
        if let provider = error.provider, !message.hasPrefix("\(provider)") {
            message = "\(provider): \(message)"
        }
    }

    /// The gateway's answer to any error a handler met.
    static func from(_ error: any Error) -> GatewayError {
        switch error {
        case let error as GatewayError: return error
        case let error as ProviderError: return GatewayError(error)
        case is CancellationError:
            return GatewayError(kind: .unavailable, status: 503, message: "the request was cancelled")
        default:
            return GatewayError(kind: .internal, status: 500, message: "internal gateway error")
        }
    }
}
