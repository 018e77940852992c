/// What ``ProviderDiscovery`` found: the providers that can be used, why the others cannot, and a
/// configuration that includes a local Ollama found running.
public struct DiscoveryReport: Sendable {
    /// How a provider came to be in the report.
    public enum Origin: String, Hashable, Sendable {
        /// Named by the configuration (config file or environment variables).
        case configured
        /// Not configured, but found running on this machine.
        case discovered
    }

    /// A provider that is configured or was found.
    public struct Provider: Hashable, Sendable {
        /// The provider's name.
        public var id: ProviderID
        /// The wire format it speaks.
        public var kind: ProviderKind
        /// The base URL (or Ollama host) requests go to.
        public var endpoint: String
        /// Whether it runs on this machine.
        public var isLocal: Bool
        /// Configured, or found running.
        public var origin: Origin
        /// Whether it answered discovery's probe; `nil` when discovery did not probe it (only Ollama
        /// servers are probed; the others are checked by a ``HealthMonitor``).
        public var isReachable: Bool?
        /// A short human description: where the key comes from, the Ollama version, or what is missing.
        public var detail: String

        public init(
            id: ProviderID, kind: ProviderKind, endpoint: String, isLocal: Bool, origin: Origin,
            isReachable: Bool? = nil, detail: String
        ) {
            self.id = id
            self.kind = kind
            self.endpoint = endpoint
            self.isLocal = isLocal
            self.origin = origin
            self.isReachable = isReachable
            self.detail = detail
        }
    }

    /// A built-in provider that is neither configured nor found, and why.
    public struct Absence: Hashable, Sendable {
        /// The provider's name.
        public var id: ProviderID
        /// Its wire format.
        public var kind: ProviderKind
        /// Why it is not available: the variable to set, or the server that did not answer.
        public var reason: String

        public init(id: ProviderID, kind: ProviderKind, reason: String) {
            self.id = id
            self.kind = kind
            self.reason = reason
        }
    }

    /// The usable providers: the configured ones in configuration order, then any discovered.
    public var providers: [Provider]
    /// The built-in providers that are not available, and why.
    public var absent: [Absence]
    /// The input configuration, plus a provider for each discovered server (a local Ollama).
    public var configuration: SwitchboardConfiguration

    public init(providers: [Provider], absent: [Absence], configuration: SwitchboardConfiguration) {
        self.providers = providers
        self.absent = absent
        self.configuration = configuration
    }

    /// Whether nothing is configured and nothing was found.
    public var isEmpty: Bool { providers.isEmpty }
}
