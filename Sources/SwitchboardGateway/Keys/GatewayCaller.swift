import Switchboard

/// Who is calling the gateway, as its key says.
public struct GatewayCaller: Hashable, Sendable {
    /// The virtual key used; `nil` for the admin key and for anonymous loopback access.
    public var key: VirtualKey?
    public var isAdmin: Bool

    public static let anonymous = GatewayCaller(key: nil, isAdmin: false)
    public static let admin = GatewayCaller(key: nil, isAdmin: true)

    /// Whether the caller may use `model`.
    public func allows(model: String?) -> Bool {
        guard let key, let model else { return true }
        return key.allows(model: model)
    }

    /// Puts the key's identity and limits into `metadata`: `feature` and `user` (the key's values win over
    /// the request's), `component` (always the key's: its budget counts by component), and the tags `gateway.key`, `gateway.key_name`, and — when set —
    /// `gateway.rpm`, `gateway.tpm`, `gateway.budget_microdollars` for the limit and budget stages.
    public func apply(to metadata: inout RequestMetadata) {
        guard let key else {
            if isAdmin { metadata.tags["gateway.key"] = "admin" }
            return
        }
        if let feature = key.feature { metadata.feature = feature }
        if let user = key.user { metadata.user = user }
        metadata.component = key.attributedComponent
        metadata.tags["gateway.key"] = key.id
        metadata.tags["gateway.key_name"] = key.name
        if let rpm = key.requestsPerMinute { metadata.tags["gateway.rpm"] = String(rpm) }
        if let tpm = key.tokensPerMinute { metadata.tags["gateway.tpm"] = String(tpm) }
        if let budget = key.budgetMicrodollars { metadata.tags["gateway.budget_microdollars"] = String(budget) }
    }
}
