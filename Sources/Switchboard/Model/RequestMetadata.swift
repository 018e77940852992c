/// What kind of work a request is; routing reads it.
public struct TaskType: Hashable, Sendable, Codable, RawRepresentable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }

    public static let simpleGeneration = TaskType(rawValue: "simple")
    public static let complexReasoning = TaskType(rawValue: "complex")
    public static let sensitiveData = TaskType(rawValue: "sensitive")
    public static let creativeWriting = TaskType(rawValue: "creative")
}

/// Whether a request may leave the machine.
public enum Sensitivity: String, Hashable, Sendable, Codable {
    case normal
    /// Never sent to an external provider.
    case sensitive
}

/// How urgently a request should be served when resources are short.
public enum RequestPriority: Int, Hashable, Sendable, Codable, Comparable, CaseIterable {
    case background = 0, low, normal, high, critical

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// What the policy stages know about a request beyond its content.
public struct RequestMetadata: Hashable, Sendable {
    public var taskType: TaskType?
    public var sensitivity: Sensitivity
    public var priority: RequestPriority
    /// The product feature making the request, for usage reports and budgets.
    public var feature: String?
    /// The end user the request is made for.
    public var user: String?
    /// The calling component, for scoped key access.
    public var component: String?
    public var tags: [String: String]
    /// How long the request may wait in a rate-limit queue, per attempt, before it fails with
    /// `queueTimeout`; `nil` uses the configuration's `max_queue_wait` (default: no limit).
    public var maxQueueWait: Duration?
    /// Whether the request may wait: when every external provider is unreachable and no local model may
    /// answer it, ``LLMClient/submit(_:)`` queues it in the outbox and returns a ticket instead of
    /// failing with `offline`; it is sent when the connection returns.
    public var deferrable: Bool
    /// How the request uses the response cache: bypass, refresh or semantic opt-in, tags, TTL.
    public var cache: CachePolicy

    public init(
        taskType: TaskType? = nil,
        sensitivity: Sensitivity = .normal,
        priority: RequestPriority = .normal,
        feature: String? = nil,
        user: String? = nil,
        component: String? = nil,
        tags: [String: String] = [:],
        maxQueueWait: Duration? = nil,
        deferrable: Bool = false,
        cache: CachePolicy = .init()
    ) {
        self.taskType = taskType
        self.sensitivity = sensitivity
        self.priority = priority
        self.feature = feature
        self.user = user
        self.component = component
        self.tags = tags
        self.maxQueueWait = maxQueueWait
        self.deferrable = deferrable
        self.cache = cache
    }
}
