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

/// How candidates of the same locality are ordered after a rule's preferred models.
public enum CandidateOrder: String, Hashable, Sendable, CaseIterable {
    /// The default provider first, then the order providers were configured in.
    case configured
    /// Fastest measured average total time first; never-measured candidates after the measured ones.
    case latency
    /// Cheapest configured price first; candidates without a price after those with one.
    case price
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
    /// How candidates within a locality are ordered.
    public var order: CandidateOrder

    public init(
        localities: [Locality], preferredModels: [ModelReference] = [], maxPricePerMillionTokens: Decimal? = nil,
        maxLatency: Duration? = nil, order: CandidateOrder = .configured
    ) {
        self.localities = localities
        self.preferredModels = preferredModels
        self.maxPricePerMillionTokens = maxPricePerMillionTokens
        self.maxLatency = maxLatency
        self.order = order
    }
}

/// The routing rules: one per task type, the heuristics for requests that name none, prices, and
/// the alternatives tried when a model's context is too small or a provider filters the content.
public struct RoutingConfiguration: Hashable, Sendable {
    /// Whether requests that pin no provider are planned by task type over every configured provider.
    /// When `false` (``direct``), they go to the default provider alone — sensitive ones to local
    /// providers only — still with retries and circuit breakers.
    public var routesByTask: Bool
    public var rules: [TaskType: TaskRule]
    /// Guesses a task type for requests that give none.
    public var complexity: ComplexityHeuristic
    /// Runs the sensitivity classifier on every request, marking it sensitive when it finds personal
    /// data or secrets.
    public var classifiesSensitivity: Bool
    /// Configured prices, USD per million tokens (blended), for `maxPricePerMillionTokens`.
    public var prices: [ModelReference: Decimal]
    /// Models tried, in order, when a model (or any model of a provider, keyed without a model)
    /// answers that the request does not fit its context window.
    public var contextWindowFallbacks: [ModelReference: [ModelReference]]
    /// Models tried, in order, when a model (or provider) refuses the content.
    public var contentFilterFallbacks: [ModelReference: [ModelReference]]

    /// No task routing: each request goes to the provider it pins or the default provider.
    public static let direct = RoutingConfiguration(routesByTask: false)

    /// The seed's defaults: simple → local first, complex → external first, sensitive → local only,
    /// creative → external first.
    public static let defaultRules: [TaskType: TaskRule] = [
        .simpleGeneration: TaskRule(localities: [.local, .external]),
        .complexReasoning: TaskRule(localities: [.external, .local]),
        .sensitiveData: TaskRule(localities: [.local]),
        .creativeWriting: TaskRule(localities: [.external, .local]),
    ]

    public init(
        routesByTask: Bool = true,
        rules: [TaskType: TaskRule] = RoutingConfiguration.defaultRules,
        complexity: ComplexityHeuristic = .init(),
        classifiesSensitivity: Bool = false,
        prices: [ModelReference: Decimal] = [:],
        contextWindowFallbacks: [ModelReference: [ModelReference]] = [:],
        contentFilterFallbacks: [ModelReference: [ModelReference]] = [:]
    ) {
        self.routesByTask = routesByTask
        self.contextWindowFallbacks = contextWindowFallbacks
        self.contentFilterFallbacks = contentFilterFallbacks
        self.rules = rules
        self.complexity = complexity
        self.classifiesSensitivity = classifiesSensitivity
        self.prices = prices
    }

    /// The configured price of a model, else of its provider.
    public func price(of reference: ModelReference) -> Decimal? {
        prices[reference] ?? prices[ModelReference(provider: reference.provider)]
    }

    /// The rule for `task`: its own, else the simple-generation rule, else any locality.
    public func rule(for task: TaskType) -> TaskRule {
        rules[task] ?? rules[.simpleGeneration] ?? TaskRule(localities: [.local, .external])
    }
}
