/// Turns a request into a ``RoutingPlan``: which providers and models may serve it, in which order.
///
/// Privacy is a hard rule: a sensitive request (marked by the caller, of the `sensitive` task type,
/// or flagged by the sensitivity check) is planned on local providers only — a pinned external
/// provider is refused, not used — and fails with `noRoute` when no local provider can take it.
public struct TaskRouter: Sendable {
    public struct Provider: Sendable {
        public var id: ProviderID
        public var locality: Locality
        public var defaultModel: String?

        public init(id: ProviderID, locality: Locality, defaultModel: String?) {
            self.id = id
            self.locality = locality
            self.defaultModel = defaultModel
        }
    }

    public let providers: [Provider]
    public let configuration: RoutingConfiguration
    /// Listed first within its locality when a request pins nothing.
    public let defaultProvider: ProviderID?
    /// Returns why a request is sensitive, or `nil`; used when the configuration turns classification on.
    let sensitivityCheck: @Sendable (ChatRequest) -> String?
    /// Whether a provider is known to be down right now.
    let isDown: @Sendable (ProviderID) -> Bool
    /// Providers switched on and off at run time.
    public let controls: ProviderControls
    /// Measured latencies, fed by every routed request.
    public let latency: LatencyTracker

    public init(
        providers: [Provider],
        configuration: RoutingConfiguration = .init(),
        defaultProvider: ProviderID? = nil,
        controls: ProviderControls = .init(),
        latency: LatencyTracker = .init(),
        sensitivityCheck: @escaping @Sendable (ChatRequest) -> String? = { _ in nil },
        isDown: @escaping @Sendable (ProviderID) -> Bool = { _ in false }
    ) {
        self.providers = providers
        self.configuration = configuration
        self.defaultProvider = defaultProvider
        self.controls = controls
        self.latency = latency
        self.sensitivityCheck = sensitivityCheck
        self.isDown = isDown
    }

    /// The plan for `request`; throws `noRoute` when no candidate remains, saying why each was ruled out.
    public func plan(for request: ChatRequest) throws -> RoutingPlan {
        let sensitivity = sensitivityReason(request)
        if let pinned = request.provider {
            return try pinnedPlan(request, provider: pinned, sensitivity: sensitivity)
        }
        let (task, taskReason) = taskType(of: request, sensitive: sensitivity != nil)
        let rule = configuration.rule(for: task)
        let localities = sensitivity == nil ? rule.localities : rule.localities.filter { $0 == .local }
        var candidates: [RoutingCandidate] = []
        var skipped: [SkippedCandidate] = []
        var seen: Set<ModelReference> = []

        func consider(_ reference: ModelReference, reason: String) {
            guard seen.insert(reference).inserted else { return }
            guard let provider = providers.first(where: { $0.id == reference.provider }) else {
                skipped.append(SkippedCandidate(reference: reference, reason: "provider not configured"))
                return
            }
            if let excluded = exclusion(
                of: reference, provider: provider, rule: rule, localities: localities, sensitivity: sensitivity)
            {
                skipped.append(SkippedCandidate(reference: reference, reason: excluded))
                return
            }
            candidates.append(RoutingCandidate(reference: reference, locality: provider.locality, reason: reason))
        }

        for preferred in rule.preferredModels {
            consider(preferred, reason: "preferred for \(task) tasks")
        }
        for locality in localities {
            let inLocality = providers.filter { $0.locality == locality }
            let ordered =
                inLocality.filter { $0.id == defaultProvider } + inLocality.filter { $0.id != defaultProvider }
            for provider in ordered {
                let reason =
                    provider.id == defaultProvider
                    ? "the default provider; \(locality) is allowed for \(task) tasks"
                    : "\(locality) is allowed for \(task) tasks"
                consider(ModelReference(provider: provider.id, model: request.model), reason: reason)
            }
        }
        for provider in providers where !localities.contains(provider.locality) {
            let reference = ModelReference(provider: provider.id, model: request.model)
            guard seen.insert(reference).inserted else { continue }
            let reason =
                sensitivity.map { "external, and the request is sensitive (\($0))" }
                ?? "\(provider.locality) is not allowed for \(task) tasks"
            skipped.append(SkippedCandidate(reference: reference, reason: reason))
        }
        guard !candidates.isEmpty else {
            throw noRoute(task: task, sensitivity: sensitivity, skipped: skipped)
        }
        return RoutingPlan(
            taskType: task, taskReason: taskReason, sensitivity: sensitivity, candidates: candidates, skipped: skipped)
    }

    private func pinnedPlan(_ request: ChatRequest, provider id: ProviderID, sensitivity: String?) throws -> RoutingPlan
    {
        let reference = ModelReference(provider: id, model: request.model)
        guard let provider = providers.first(where: { $0.id == id }) else {
            throw ProviderError(kind: .notConfigured, provider: id, message: "provider '\(id)' is not configured")
        }
        if let sensitivity, provider.locality != .local {
            throw ProviderError(
                kind: .noRoute, provider: id,
                message: "the request is sensitive (\(sensitivity)) and may not go to the external provider '\(id)', "
                    + "even when pinned")
        }
        guard controls.isEnabled(id) else {
            throw ProviderError(kind: .noRoute, provider: id, message: "provider '\(id)' is disabled")
        }
        let task = request.metadata.taskType ?? (sensitivity != nil ? .sensitiveData : .simpleGeneration)
        return RoutingPlan(
            taskType: task, taskReason: "provider pinned by the caller", sensitivity: sensitivity,
            candidates: [
                RoutingCandidate(reference: reference, locality: provider.locality, reason: "pinned by the caller")
            ],
            skipped: [])
    }

    private func sensitivityReason(_ request: ChatRequest) -> String? {
        if request.metadata.sensitivity == .sensitive { return "marked sensitive by the caller" }
        if request.metadata.taskType == .sensitiveData { return "its task type is sensitive" }
        if configuration.classifiesSensitivity, let found = sensitivityCheck(request) { return found }
        return nil
    }

    private func taskType(of request: ChatRequest, sensitive: Bool) -> (TaskType, String) {
        if let task = request.metadata.taskType { return (task, "given by the caller") }
        if sensitive { return (.sensitiveData, "the request is sensitive") }
        return configuration.complexity.classify(request)
    }

    private func exclusion(
        of reference: ModelReference, provider: Provider, rule: TaskRule, localities: [Locality], sensitivity: String?
    ) -> String? {
        if !localities.contains(provider.locality) {
            return sensitivity != nil ? "external, and the request is sensitive" : "\(provider.locality) not allowed"
        }
        if !controls.isEnabled(provider.id) { return "disabled" }
        if isDown(provider.id) { return "down (health check)" }
        if let maxLatency = rule.maxLatency, let measured = latency.averages(for: reference)?.total,
            measured > maxLatency
        {
            return "average latency \(measured.formattedSeconds) is over \(maxLatency.formattedSeconds)"
        }
        if let maxPrice = rule.maxPricePerMillionTokens {
            let price =
                configuration.prices[reference] ?? configuration.prices[ModelReference(provider: reference.provider)]
            if let price, price > maxPrice { return "price \(price) per million tokens is over \(maxPrice)" }
        }
        return nil
    }

    private func noRoute(task: TaskType, sensitivity: String?, skipped: [SkippedCandidate]) -> ProviderError {
        let reasons = skipped.isEmpty ? "no provider is configured" : skipped.map(\.description).joined(separator: "; ")
        let prefix =
            sensitivity.map { "the request is sensitive (\($0)) and no local provider can serve it" }
            ?? "no provider may serve this \(task) request"
        return ProviderError(kind: .noRoute, message: "\(prefix): \(reasons)")
    }
}
