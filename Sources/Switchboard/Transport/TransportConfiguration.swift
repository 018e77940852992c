/// Deadlines and limits for every HTTP call Switchboard makes.
public struct TransportConfiguration: Hashable, Sendable {
    /// Time allowed to open a connection (TCP and TLS).
    public var connectTimeout: Duration
    /// Time allowed for a whole request, from sending it to the last byte of the answer.
    public var requestTimeout: Duration
    /// Longest silence allowed between two reads of a response, so a stalled stream fails while a
    /// long but flowing generation does not.
    public var idleTimeout: Duration
    /// The largest non-streamed response body accepted.
    public var maximumResponseSize: Int
    /// Connections open at once to one provider host (each of streamed and whole-body calls); calls
    /// beyond it wait for a free connection. A gateway needs as many as the streams it holds. Calls made
    /// on one of NIO's event loops (the gateway's) use that loop's pool, which has an even share of it.
    public var maximumConnectionsPerHost: Int
    /// A PEM file of certificate authorities to trust instead of the system's (`tls.ca_bundle`), for a
    /// corporate proxy or a private gateway. Certificates are always verified; there is no switch to stop it.
    public var caBundlePath: String?

    public init(
        connectTimeout: Duration = .seconds(10),
        requestTimeout: Duration = .seconds(600),
        idleTimeout: Duration = .seconds(120),
        maximumResponseSize: Int = 64 * 1024 * 1024,
        maximumConnectionsPerHost: Int = 256
    ) {
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.idleTimeout = idleTimeout
        self.maximumResponseSize = maximumResponseSize
        self.maximumConnectionsPerHost = maximumConnectionsPerHost
    }
}
