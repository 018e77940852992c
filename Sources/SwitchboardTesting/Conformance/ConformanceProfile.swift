import Switchboard

/// What a provider's wire format can express, so each check expects exactly what that provider
/// is able to report, no more and no less.
public struct ConformanceProfile: Sendable {
    /// The provider's error for a scripted failure: type, code and message as the simulator takes them.
    public struct ScriptedError: Sendable {
        public var type: String?
        public var code: String?
        public var message: String?

        public init(type: String? = nil, code: String? = nil, message: String? = nil) {
            self.type = type
            self.code = code
            self.message = message
        }
    }

    /// Rate-limit headers on every response (OpenAI, Anthropic).
    public var sendsRateLimitHeaders: Bool
    /// A provider request id on every response.
    public var sendsRequestID: Bool
    /// Usage reports cached-input reads.
    public var reportsCacheReads: Bool
    /// Usage reports cache writes.
    public var reportsCacheWrites: Bool
    /// Images carry their media type on the wire.
    public var sendsImageMediaType: Bool
    /// The HTTP status of a wrong key; `nil` when the provider has no authentication.
    public var invalidKeyStatus: Int?
    /// A 429 carries a retry hint the adapter reads.
    public var retryHintOnRateLimit: Bool
    /// The in-stream error the check scripts, and the kind it must map to.
    public var inStreamError: (error: ScriptedError, kind: ProviderError.Kind)
    /// How the provider says a prompt is too long, if it does.
    public var contextTooLong: ScriptedError?
    /// How the provider says the account's quota is used up, if it does.
    public var quotaExceeded: ScriptedError?
    /// Statuses only this provider uses (Anthropic's 529).
    public var extraStatuses: [Int: ProviderError.Kind]

    /// The profile of each simulated provider.
    public static func of(_ provider: SimulatedProvider) -> ConformanceProfile {
        switch provider {
        case .openAI:
            ConformanceProfile(
                sendsRateLimitHeaders: true, sendsRequestID: true, reportsCacheReads: true, reportsCacheWrites: true,
                sendsImageMediaType: true, invalidKeyStatus: 401, retryHintOnRateLimit: true,
                inStreamError: (ScriptedError(type: "server_error", message: "The server had an error"), .server),
                contextTooLong: ScriptedError(
                    type: "invalid_request_error", code: "context_length_exceeded",
                    message: "This model's maximum context length is 128000 tokens."),
                quotaExceeded: ScriptedError(
                    type: "insufficient_quota", code: "insufficient_quota", message: "You exceeded your current quota"),
                extraStatuses: [:])
        case .anthropic:
            ConformanceProfile(
                sendsRateLimitHeaders: true, sendsRequestID: true, reportsCacheReads: true, reportsCacheWrites: true,
                sendsImageMediaType: true, invalidKeyStatus: 401, retryHintOnRateLimit: true,
                inStreamError: (ScriptedError(type: "overloaded_error", message: "Overloaded"), .overloaded),
                contextTooLong: ScriptedError(
                    type: "invalid_request_error", message: "prompt is too long: 250000 tokens > 200000 maximum"),
                quotaExceeded: ScriptedError(type: "billing_error", message: "Your credit balance is too low"),
                extraStatuses: [529: .overloaded])
        case .gemini:
            ConformanceProfile(
                sendsRateLimitHeaders: false, sendsRequestID: true, reportsCacheReads: true, reportsCacheWrites: false,
                sendsImageMediaType: true, invalidKeyStatus: 400, retryHintOnRateLimit: true,
                inStreamError: (ScriptedError(type: "UNAVAILABLE", message: "The model is overloaded."), .overloaded),
                contextTooLong: ScriptedError(
                    type: "INVALID_ARGUMENT",
                    message: "The input token count (1200000) exceeds the maximum number of tokens allowed (1048576)."),
                quotaExceeded: ScriptedError(code: "PerDay", message: "You exceeded your current quota."),
                extraStatuses: [:])
        case .ollama:
            ConformanceProfile(
                sendsRateLimitHeaders: false, sendsRequestID: false, reportsCacheReads: false,
                reportsCacheWrites: false,
                sendsImageMediaType: false, invalidKeyStatus: nil, retryHintOnRateLimit: false,
                inStreamError: (ScriptedError(message: "an error was encountered while running the model"), .server),
                contextTooLong: nil, quotaExceeded: nil, extraStatuses: [:])
        }
    }

    /// The usage a provider can report for a scripted reply.
    public func expectedUsage(input: Int, output: Int, cacheRead: Int = 0, cacheWrite: Int = 0) -> Usage {
        Usage(
            inputTokens: input, cacheReadTokens: reportsCacheReads ? cacheRead : 0,
            cacheWriteTokens: reportsCacheWrites ? cacheWrite : 0, outputTokens: output)
    }
}
