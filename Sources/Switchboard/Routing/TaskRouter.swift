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
        if !configuration.routesByTask {
            return try directPlan(request, sensitivity: sensitivity)
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
            var candidate = RoutingCandidate(reference: reference, locality: provider.locality, reason: reason)
            candidate.contextFallbacks = alternatives(
                configuration.contextWindowFallbacks, for: candidate, trigger: "context window", rule: rule,
                localities: localities, sensitivity: sensitivity, skipped: &skipped)
            candidate.contentFilterFallbacks = alternatives(
                configuration.contentFilterFallbacks, for: candidate, trigger: "content filter", rule: rule,
                localities: localities, sensitivity: sensitivity, skipped: &skipped)
            candidates.append(candidate)
        }

        for preferred in rule.preferredModels {
            consider(preferred, reason: "preferred for \(task) tasks")
        }
        for locality in localities {
            let inLocality = providers.filter { $0.locality == locality }
            let configured =
                inLocality.filter { $0.id == defaultProvider } + inLocality.filter { $0.id != defaultProvider }
            for provider in ordered(configured, by: rule.order, model: request.model) {
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

    /// Orders one locality's providers by the rule's criterion; ties and unknowns keep the configured order.
    private func ordered(_ providers: [Provider], by order: CandidateOrder, model: String?) -> [Provider] {
        func reference(_ provider: Provider) -> ModelReference { ModelReference(provider: provider.id, model: model) }
        switch order {
        case .configured: return providers
        case .latency: return Self.stableSorted(providers) { latency.averages(for: reference($0))?.total }
        case .price: return Self.stableSorted(providers) { configuration.price(of: reference($0)) }
        }
    }

    /// Sorts by `key`, lowest first; elements without a key go last; equal keys keep their order.
    private static func stableSorted<Key: Comparable>(
        _ providers: [Provider], by key: (Provider) -> Key?
    ) -> [Provider] {
        let keyed = providers.enumerated().map { (offset: $0.offset, provider: $0.element, key: key($0.element)) }
        return keyed.sorted { lhs, rhs in
            switch (lhs.key, rhs.key) {
            case (let left?, let right?): return left != right ? left < right : lhs.offset < rhs.offset
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return lhs.offset < rhs.offset
            }
        }.map(\.provider)
    }

    /// The configured alternatives for `candidate` that this request may use, vetted like any candidate.
    private func alternatives(
        _ table: [ModelReference: [ModelReference]], for candidate: RoutingCandidate, trigger: String, rule: TaskRule,
        localities: [Locality], sensitivity: String?, skipped: inout [SkippedCandidate]
    ) -> [RoutingCandidate] {
        guard !table.isEmpty else { return [] }
        let reference = candidate.reference
        let resolved = ModelReference(
            provider: reference.provider,
            model: reference.model ?? providers.first { $0.id == reference.provider }?.defaultModel)
        let configured =
            table[reference] ?? table[resolved] ?? table[ModelReference(provider: reference.provider)] ?? []
        return configured.compactMap { alternative in
            guard alternative != reference, alternative != resolved else { return nil }
            guard let provider = providers.first(where: { $0.id == alternative.provider }) else {
                skipped.append(
                    SkippedCandidate(
                        reference: alternative, reason: "\(trigger) fallback of \(reference): provider not configured"))
                return nil
            }
            if let excluded = exclusion(
                of: alternative, provider: provider, rule: rule, localities: localities, sensitivity: sensitivity)
            {
                skipped.append(
                    SkippedCandidate(reference: alternative, reason: "\(trigger) fallback of \(reference): \(excluded)")
                )
                return nil
            }
            return RoutingCandidate(
                reference: alternative, locality: provider.locality, reason: "\(trigger) fallback of \(reference)")
        }
    }

    /// Without task routing: the default provider alone; for a sensitive request, or when the external
    /// default is down (offline) and the task allows local models, the local providers.
    private func directPlan(_ request: ChatRequest, sensitivity: String?) throws -> RoutingPlan {
        let task = request.metadata.taskType ?? (sensitivity != nil ? .sensitiveData : .simpleGeneration)
        let first = defaultProvider.flatMap { id in providers.first { $0.id == id } } ?? providers.first
        guard let first else {
            throw ProviderError(
                kind: .notConfigured, message: "no provider is configured; \(ProviderDispatch.setupHint)")
        }
        var chosen = [first]
        var skipped: [SkippedCandidate] = []
        var localReason = "local, and the request is sensitive"
        let local = providers.filter { $0.locality == .local }
        if let sensitivity {
            chosen = local.filter { $0.id == first.id } + local.filter { $0.id != first.id }
            skipped = providers.filter { $0.locality != .local }.map {
                SkippedCandidate(
                    reference: ModelReference(provider: $0.id, model: request.model),
                    reason: "external, and the request is sensitive (\(sensitivity))")
            }
        } else if first.locality == .external, isDown(first.id), !local.isEmpty,
            configuration.rule(for: task).localities.contains(.local)
        {
            // Offline: the external default cannot be reached, so the local providers answer what they may.
            chosen = local
            localReason = "local, and the default provider \(first.id) is down"
            skipped = [
                SkippedCandidate(
                    reference: ModelReference(provider: first.id, model: request.model), reason: "down (health check)")
            ]
        }
        var candidates: [RoutingCandidate] = []
        for provider in chosen {
            let reference = ModelReference(provider: provider.id, model: request.model)
            if !controls.isEnabled(provider.id) {
                skipped.append(SkippedCandidate(reference: reference, reason: "disabled"))
                continue
            }
            let reason = provider.id == first.id ? "the default provider" : localReason
            candidates.append(RoutingCandidate(reference: reference, locality: provider.locality, reason: reason))
        }
        guard !candidates.isEmpty else { throw noRoute(task: task, sensitivity: sensitivity, skipped: skipped) }
        return RoutingPlan(
            taskType: task, taskReason: request.metadata.taskType == nil ? "no task routing" : "given by the caller",
            sensitivity: sensitivity, candidates: candidates, skipped: skipped)
    }

    private func pinnedPlan(_ request: ChatRequest, provider id: ProviderID, sensitivity: String?) throws -> RoutingPlan
    {
        let reference = ModelReference(provider: id, model: request.model)
        guard let provider = providers.first(where: { $0.id == id }) else {
            throw ProviderDispatch.notConfigured(id, configured: providers.map(\.id))
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
            if let price = configuration.price(of: reference), price > maxPrice {
                return "price \(price) per million tokens is over \(maxPrice)"
            }
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
