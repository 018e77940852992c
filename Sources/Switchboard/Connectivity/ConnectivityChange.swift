/// The connectivity mode changed; see ``ConnectivityMonitor/modeChanges()``.
public struct ConnectivityChange: Hashable, Sendable, CustomStringConvertible {
    /// The mode before.
    public var from: ConnectivityMode
    /// The mode now.
    public var to: ConnectivityMode
    /// Why, in words safe to print: which providers cannot be reached or fail, and the last error.
    public var reason: String
    /// When, as ``PolicyClock/now`` of the monitor's clock.
    public var at: Duration

    public init(from: ConnectivityMode, to: ConnectivityMode, reason: String, at: Duration) {
        self.from = from
        self.to = to
        self.reason = reason
        self.at = at
    }

    public var description: String { "\(from) → \(to): \(reason)" }
}
