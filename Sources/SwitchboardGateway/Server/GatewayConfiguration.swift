/// How `switchboard serve` listens and what it accepts.
public struct GatewayConfiguration: Sendable, Hashable {
    /// The address to bind; `127.0.0.1` unless the gateway has keys (see ``GatewayAccessPolicy``).
    public var host: String
    /// The port to bind; `0` picks a free one (tests).
    public var port: Int
    /// The largest request body accepted; larger bodies get 413 in the caller's protocol.
    public var maxBodyBytes: Int
    /// The most requests handled at once (streams included); more get 429 in the caller's protocol.
    public var maxConcurrentRequests: Int
    /// The most streams open at once; more get 429 in the caller's protocol.
    public var maxConcurrentStreams: Int
    /// How long an idle connection stays open (also bounds reading a slow request head).
    public var idleTimeout: Duration
    /// How long in-flight requests and streams may run on after a shutdown signal.
    public var shutdownGracePeriod: Duration
    /// The version `GET /api/version` reports.
    public var version: String

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        maxBodyBytes: Int = 32 * 1024 * 1024,
        maxConcurrentRequests: Int = 1024,
        maxConcurrentStreams: Int = 1024,
        idleTimeout: Duration = .seconds(60),
        shutdownGracePeriod: Duration = .seconds(30),
        version: String = "0.1.0"
    ) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.maxConcurrentRequests = maxConcurrentRequests
        self.maxConcurrentStreams = maxConcurrentStreams
        self.idleTimeout = idleTimeout
        self.shutdownGracePeriod = shutdownGracePeriod
        self.version = version
    }

    /// Whether ``host`` only accepts connections from this machine.
    public var bindsLoopbackOnly: Bool {
        host == "127.0.0.1" || host == "::1" || host == "localhost" || host.hasPrefix("127.")
    }
}
