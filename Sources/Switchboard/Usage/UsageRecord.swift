import Foundation

/// One row of the usage ledger: one attempt of one request, with its tokens, cost and outcome.
///
/// Never holds a key or a prompt: only their ``Fingerprint``s.
public struct UsageRecord: Hashable, Sendable {
    /// Switchboard's id for the request (``RequestContext/requestID``).
    public var requestID: String
    /// 1 for the first candidate tried, counting skipped candidates.
    public var attempt: Int
    /// When the request entered the pipeline (wall clock).
    public var timestamp: Date
    public var provider: ProviderID
    /// The model asked for or answering; `nil` when the provider's default was never resolved.
    public var model: String?
    /// ``Fingerprint`` of the API key used.
    public var keyFingerprint: String?
    public var feature: String?
    public var user: String?
    /// The calling component (``RequestMetadata/component``).
    public var component: String?
    public var taskType: String?
    public var usage: Usage
    /// `nil` when the model's price is unknown (reported as such, never as zero).
    public var cost: Money?
    /// What prompt caching saved on this attempt.
    public var cacheSavings: Money?
    public var latency: Duration
    public var timeToFirstToken: Duration?
    /// `success`, `skipped`, or the error kind (`rateLimited`, `budgetExceeded`, …).
    public var outcome: String
    /// The answer came from a response cache and cost nothing.
    public var cacheHit: Bool
    /// ``Fingerprint`` of the prompt, to find the most expensive operations.
    public var promptFingerprint: String?
    public var streamed: Bool
    /// For a response-cache hit, how it was found: `exact` or `semantic`.
    public var responseCacheKind: String?
    /// For a response-cache hit, what the stored answer's tokens would have cost (`nil` when the price
    /// is unknown). The hit itself costs nothing: ``cost`` is zero.
    public var responseCacheSavings: Money?

    public init(
        requestID: String, attempt: Int = 1, timestamp: Date, provider: ProviderID, model: String?,
        keyFingerprint: String? = nil, feature: String? = nil, user: String? = nil, component: String? = nil,
        taskType: String? = nil,
        usage: Usage = .zero, cost: Money?, cacheSavings: Money? = nil, latency: Duration = .zero,
        timeToFirstToken: Duration? = nil, outcome: String = "success", cacheHit: Bool = false,
        promptFingerprint: String? = nil, streamed: Bool = false, responseCacheKind: String? = nil,
        responseCacheSavings: Money? = nil
    ) {
        self.requestID = requestID
        self.attempt = attempt
        self.timestamp = timestamp
        self.provider = provider
        self.model = model
        self.keyFingerprint = keyFingerprint
        self.feature = feature
        self.user = user
        self.component = component
        self.taskType = taskType
        self.usage = usage
        self.cost = cost
        self.cacheSavings = cacheSavings
        self.latency = latency
        self.timeToFirstToken = timeToFirstToken
        self.outcome = outcome
        self.cacheHit = cacheHit
        self.promptFingerprint = promptFingerprint
        self.streamed = streamed
        self.responseCacheKind = responseCacheKind
        self.responseCacheSavings = responseCacheSavings
    }

    /// Whether the attempt got an answer.
    public var succeeded: Bool { outcome == "success" }
}
