/// The one error type every provider and every pipeline stage throws.
///
/// Switch on ``kind``; the kinds are a struct, not an enum, so new kinds do not break a caller's
/// `switch`. The ``description`` is safe to print or log: it never holds a key or a request header,
/// and provider messages pass through ``SecretRedactor`` before they are stored.
public struct ProviderError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, in terms a caller can act on.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Code: String, Hashable, Sendable {
            case rateLimited, quotaExceeded, authentication, permissionDenied, invalidRequest, notFound
            case contextTooLong, contentFiltered, overloaded, server, network, timeout, streamInterrupted
            case cancelled, invalidResponse, notConfigured, requestTooLarge, noRoute, budgetExceeded, queueTimeout
            case offline
            case accessDenied, invalidOutput
        }

        private let code: Code
        private init(_ code: Code) { self.code = code }

        public var description: String { code.rawValue }

        /// Too many requests or tokens for now; ``ProviderError/retryAfter`` says when to try again.
        public static let rateLimited = Kind(.rateLimited)
        /// The account's quota or credit is used up; waiting does not help.
        public static let quotaExceeded = Kind(.quotaExceeded)
        /// The key is missing, malformed or revoked.
        public static let authentication = Kind(.authentication)
        /// The key may not use this model or resource.
        public static let permissionDenied = Kind(.permissionDenied)
        /// The request is malformed; sending it again will not help.
        public static let invalidRequest = Kind(.invalidRequest)
        /// The model or resource does not exist.
        public static let notFound = Kind(.notFound)
        /// The prompt does not fit the model's context window.
        public static let contextTooLong = Kind(.contextTooLong)
        /// The provider refused the content.
        public static let contentFiltered = Kind(.contentFiltered)
        /// The provider is overloaded for everyone (Anthropic 529, HTTP 503), or this process's rate-limit
        /// queue for it is full (then ``ProviderError/status`` is `nil` and the message says so).
        public static let overloaded = Kind(.overloaded)
        /// The provider failed (HTTP 5xx).
        public static let server = Kind(.server)
        /// The connection could not be made or broke before a response.
        public static let network = Kind(.network)
        /// A connect, total or idle deadline passed.
        public static let timeout = Kind(.timeout)
        /// A stream broke after it had started; partial output may have been delivered.
        public static let streamInterrupted = Kind(.streamInterrupted)
        /// The caller cancelled the request.
        public static let cancelled = Kind(.cancelled)
        /// The provider answered with something that is not its documented format.
        public static let invalidResponse = Kind(.invalidResponse)
        /// No provider is configured for the request; the message says which setting to give.
        public static let notConfigured = Kind(.notConfigured)
        /// The request body is larger than the provider accepts (HTTP 413).
        public static let requestTooLarge = Kind(.requestTooLarge)
        /// No configured provider may serve the request (for example: it is sensitive and no local model
        /// can take it); the message says why each was ruled out.
        public static let noRoute = Kind(.noRoute)
        /// A hard budget would be exceeded by the request's worst-case cost; the message names the budget
        /// and the amounts. Nothing was sent.
        public static let budgetExceeded = Kind(.budgetExceeded)
        /// The request waited in a rate-limit queue past its deadline (``RequestMetadata/maxQueueWait``)
        /// and was not sent.
        public static let queueTimeout = Kind(.queueTimeout)
        /// The external providers the request needs cannot be reached (the network is down, or they are)
        /// and no other provider may serve it — it pins one, or its task allows only external ones.
        /// Nothing was answered; a request marked ``RequestMetadata/deferrable`` is queued in the outbox
        /// instead (see ``LLMClient/submit(_:)``).
        public static let offline = Kind(.offline)
        /// No key of the provider may be used by the calling component, feature or user for the model
        /// (see ``KeyScope``); the message names the caller. Nothing was sent.
        public static let accessDenied = Kind(.accessDenied)
        /// The model's structured output does not match the request's JSON Schema (after the optional
        /// corrective retry); ``ProviderError/field`` names the first offending place, like `$.items[2].price`.
        public static let invalidOutput = Kind(.invalidOutput)
    }

    public var kind: Kind
    /// The provider that failed; `nil` when the request failed before reaching one.
    public var provider: ProviderID?
    /// The HTTP status, when the provider answered.
    public var status: Int?
    /// The provider's own error type (`rate_limit_error`, `invalid_request_error`, …).
    public var providerErrorType: String?
    /// The provider's own error code (`context_length_exceeded`, `invalid_api_key`, …).
    public var providerErrorCode: String?
    /// What happened, with any secret removed.
    public var message: String
    /// How long the provider asked us to wait before trying again.
    public var retryAfter: Duration?
    /// The provider's request id, for support tickets.
    public var providerRequestID: String?
    /// The provider's own retry advice (`x-should-retry`), which overrides the kind's default.
    public var shouldRetry: Bool?
    /// Every candidate tried before the request failed, in order.
    public var attempts: [RequestAttempt] = []
    /// The usage reported before a stream broke, so it can still be counted.
    public var partialUsage: Usage?
    /// The request field at fault (`messages[3].content[1].image`, `tools[0].parameters.properties.age.type`),
    /// or the output path (`$.age`) for ``Kind/invalidOutput``; `nil` when no single field is.
    public var field: String?

    public init(
        kind: Kind,
        provider: ProviderID? = nil,
        status: Int? = nil,
        providerErrorType: String? = nil,
        providerErrorCode: String? = nil,
        message: String,
        retryAfter: Duration? = nil,
        providerRequestID: String? = nil
    ) {
        self.kind = kind
        self.provider = provider
        self.status = status
        self.providerErrorType = providerErrorType
        self.providerErrorCode = providerErrorCode
        self.message = SecretRedactor.redactPatterns(in: message)
        self.retryAfter = retryAfter
        self.providerRequestID = providerRequestID
    }

    /// Whether the same request may succeed if sent again later (wire reference §1.5).
    public var isRetryable: Bool {
        if let shouldRetry { return shouldRetry }
        switch kind {
        case .rateLimited, .overloaded, .server, .network, .timeout: return true
        default: return false
        }
    }

    public var description: String {
        var text = provider.map { "\($0): " } ?? ""
        text += kind.description
        var details: [String] = []
        if let status { details.append("HTTP \(status)") }
        if let code = providerErrorCode ?? providerErrorType { details.append(code) }
        if !details.isEmpty { text += " (\(details.joined(separator: ", ")))" }
        text += ": \(message)"
        if let retryAfter { text += " — retry after \(retryAfter.formattedSeconds)" }
        if let providerRequestID { text += " [request \(providerRequestID)]" }
        return text
    }
}

extension Duration {
    /// The duration in seconds with up to three decimals, like `1.5s`.
    var formattedSeconds: String {
        let milliseconds = components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000)s" }
        return "\(Double(milliseconds) / 1000)s"
    }

    /// The duration in (fractional) seconds.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
