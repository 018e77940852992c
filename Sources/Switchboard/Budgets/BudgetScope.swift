/// What a budget counts: every request, or those of one provider, model, feature, user, calling
/// component or API key.
public enum BudgetScope: Hashable, Sendable, CustomStringConvertible {
    case overall
    case provider(ProviderID)
    /// A model id as requests and responses name it (dated snapshots are separate models).
    case model(String)
    case feature(String)
    case user(String)
    /// A calling component (``RequestMetadata/component``; the gateway puts each virtual key's here).
    case component(String)
    /// An API key, by its ``Fingerprint``.
    case apiKey(fingerprint: String)

    /// Whether a request with these properties counts against the budget.
    public func covers(_ subject: BudgetSubject) -> Bool {
        switch self {
        case .overall: true
        case .provider(let provider): subject.provider == provider
        case .model(let model): subject.model == model
        case .feature(let feature): subject.feature == feature
        case .user(let user): subject.user == user
        case .component(let component): subject.component == component
        case .apiKey(let fingerprint): subject.keyFingerprint == fingerprint
        }
    }

    /// Whether every request to `provider` counts against the budget.
    public func covers(provider: ProviderID) -> Bool {
        switch self {
        case .overall: true
        case .provider(let id): id == provider
        default: false
        }
    }

    public var description: String {
        switch self {
        case .overall: "overall"
        case .provider(let provider): "provider:\(provider)"
        case .model(let model): "model:\(model)"
        case .feature(let feature): "feature:\(feature)"
        case .user(let user): "user:\(user)"
        case .component(let component): "component:\(component)"
        case .apiKey(let fingerprint): "api_key:\(fingerprint)"
        }
    }

    /// Parses `overall`, `provider:openai`, `model:gpt-4o`, `feature:search`, `user:ada`,
    /// `component:billing`, `api_key:<fingerprint>`.
    public init?(_ text: String) {
        if text == "overall" {
            self = .overall
            return
        }
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let value = String(text[text.index(after: colon)...])
        guard !value.isEmpty else { return nil }
        switch text[..<colon] {
        case "provider": self = .provider(ProviderID(value))
        case "model": self = .model(value)
        case "feature": self = .feature(value)
        case "user": self = .user(value)
        case "component": self = .component(value)
        case "api_key": self = .apiKey(fingerprint: value)
        default: return nil
        }
    }
}

/// The properties of one request that budgets are matched on.
public struct BudgetSubject: Hashable, Sendable {
    public var provider: ProviderID
    public var model: String?
    public var feature: String?
    public var user: String?
    public var component: String?
    public var keyFingerprint: String?

    public init(
        provider: ProviderID, model: String?, feature: String? = nil, user: String? = nil, component: String? = nil,
        keyFingerprint: String? = nil
    ) {
        self.provider = provider
        self.model = model
        self.feature = feature
        self.user = user
        self.component = component
        self.keyFingerprint = keyFingerprint
    }

    /// The subject of a ledger row.
    public init(_ record: UsageRecord) {
        self.init(
            provider: record.provider, model: record.model, feature: record.feature, user: record.user,
            component: record.component, keyFingerprint: record.keyFingerprint)
    }
}
