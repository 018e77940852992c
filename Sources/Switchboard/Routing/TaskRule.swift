import Foundation

/// Where a provider runs: on this machine, or elsewhere.
public enum Locality: String, Hashable, Sendable, CaseIterable {
    case local, external
}

/// A provider and, optionally, one of its models: `openai/gpt-4o-mini`, `ollama`.
public struct ModelReference: Hashable, Sendable, CustomStringConvertible {
    public var provider: ProviderID
    /// `nil` means the provider's default model.
    public var model: String?

    public init(provider: ProviderID, model: String? = nil) {
        self.provider = provider
        self.model = model
    }

    /// Parses `provider/model` or `provider`.
    public init(_ text: String) {
        if let slash = text.firstIndex(of: "/") {
            provider = ProviderID(String(text[..<slash]))
            model = String(text[text.index(after: slash)...])
        } else {
            provider = ProviderID(text)
            model = nil
        }
    }

    public var description: String { model.map { "\(provider)/\($0)" } ?? provider.rawValue }
}

/// How requests of one task type are routed.
public struct TaskRule: Hashable, Sendable {
    /// The localities allowed, most preferred first.
    public var localities: [Locality]
    /// Models tried first, in order, when their provider is configured and its locality allowed.
    public var preferredModels: [ModelReference]
    /// Candidates whose configured price (USD per million tokens, blended) is above this are skipped.
    public var maxPricePerMillionTokens: Decimal?
    /// Candidates whose measured average latency is above this are skipped.
    public var maxLatency: Duration?

    public init(
        localities: [Locality], preferredModels: [ModelReference] = [], maxPricePerMillionTokens: Decimal? = nil,
        maxLatency: Duration? = nil
    ) {
        self.localities = localities
        self.preferredModels = preferredModels
        self.maxPricePerMillionTokens = maxPricePerMillionTokens
        self.maxLatency = maxLatency
    }
}

/// The routing rules: one per task type, the heuristics for requests that name none, and prices.
public struct RoutingConfiguration: Hashable, Sendable {
    public var rules: [TaskType: TaskRule]
    /// Guesses a task type for requests that give none.
    public var complexity: ComplexityHeuristic
    /// Runs the sensitivity classifier on every request, marking it sensitive when it finds personal
    /// data or secrets.
    public var classifiesSensitivity: Bool
    /// Configured prices, USD per million tokens (blended), for `maxPricePerMillionTokens`.
    public var prices: [ModelReference: Decimal]

    /// The seed's defaults: simple → local first, complex → external first, sensitive → local only,
    /// creative → external first.
    public static let defaultRules: [TaskType: TaskRule] = [
        .simpleGeneration: TaskRule(localities: [.local, .external]),
        .complexReasoning: TaskRule(localities: [.external, .local]),
        .sensitiveData: TaskRule(localities: [.local]),
        .creativeWriting: TaskRule(localities: [.external, .local]),
    ]

    public init(
        rules: [TaskType: TaskRule] = RoutingConfiguration.defaultRules,
        complexity: ComplexityHeuristic = .init(),
        classifiesSensitivity: Bool = false,
        prices: [ModelReference: Decimal] = [:]
    ) {
        self.rules = rules
        self.complexity = complexity
        self.classifiesSensitivity = classifiesSensitivity
        self.prices = prices
    }

    /// The rule for `task`: its own, else the simple-generation rule, else any locality.
    public func rule(for task: TaskType) -> TaskRule {
        rules[task] ?? rules[.simpleGeneration] ?? TaskRule(localities: [.local, .external])
    }
}
