/// What a ``ConnectivityMonitor`` knows about reaching one external provider.
public struct ProviderReachability: Hashable, Sendable {
    /// Whether the provider can be reached.
    public enum State: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
        /// No request or probe has reached it or failed yet.
        case unknown
        /// It answered last time.
        case reachable
        /// It answered with a failure (server error, overload, timeout), or the network failed fewer
        /// times in a row than ``ConnectivityPolicy/failuresBeforeUnreachable``.
        case failing
        /// The network failed ``ConnectivityPolicy/failuresBeforeUnreachable`` times in a row; routing
        /// skips it until a probe reaches it again.
        case unreachable

        public var description: String { rawValue }
    }

    /// The provider this is about.
    public var provider: ProviderID
    public var state: State
    /// Network failures since it last answered.
    public var consecutiveNetworkFailures: Int
    /// Why the last request or probe failed; safe to print. `nil` after an answer.
    public var lastError: String?
    /// When the next recovery probe is due, as ``PolicyClock/now`` of the monitor's clock; set while unreachable.
    public var nextProbeAt: Duration?

    public init(
        provider: ProviderID, state: State = .unknown, consecutiveNetworkFailures: Int = 0, lastError: String? = nil,
        nextProbeAt: Duration? = nil
    ) {
        self.provider = provider
        self.state = state
        self.consecutiveNetworkFailures = consecutiveNetworkFailures
        self.lastError = lastError
        self.nextProbeAt = nextProbeAt
    }
}
