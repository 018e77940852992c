/// A provider's health moved from one state to another; see ``HealthMonitor/changes()``.
public struct HealthStateChange: Hashable, Sendable {
    /// The provider whose state changed.
    public var provider: ProviderID
    /// The state before.
    public var from: ProviderHealthState
    /// The state now.
    public var to: ProviderHealthState
    /// The whole status after the change.
    public var status: ProviderHealthStatus

    public init(provider: ProviderID, from: ProviderHealthState, to: ProviderHealthState, status: ProviderHealthStatus)
    {
        self.provider = provider
        self.from = from
        self.to = to
        self.status = status
    }
}
