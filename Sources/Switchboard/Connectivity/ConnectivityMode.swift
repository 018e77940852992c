/// Whether Switchboard can reach the external providers, as a ``ConnectivityMonitor`` concludes from
/// real requests and probes.
public enum ConnectivityMode: String, Hashable, Sendable, CaseIterable, Codable, CustomStringConvertible {
    /// Every external provider answers (or has not failed yet).
    case online
    /// Some external providers fail or cannot be reached; requests go to the others.
    case degraded
    /// No external provider can be reached: requests are planned on local providers only, requests
    /// that need an external one fail with `offline` or wait in the outbox.
    case offline

    public var description: String { rawValue }

    /// The response header the gateway reports the mode in.
    public static let headerName = "x-switchboard-connectivity"

    /// 0 online, 1 degraded, 2 offline: the value of the `switchboard.connectivity.mode` gauge.
    public var metricValue: Int {
        switch self {
        case .online: 0
        case .degraded: 1
        case .offline: 2
        }
    }
}
