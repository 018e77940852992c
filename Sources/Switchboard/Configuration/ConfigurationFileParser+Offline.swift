import Yams

extension ConfigurationFileParser {
    /// The `offline:` section; without one, the defaults with the outbox in SQLite under the data directory.
    ///
    /// ```yaml
    /// offline:
    ///   failures_before_offline: 2        # network failures in a row before a provider is unreachable
    ///   probe_timeout: 5s
    ///   probe_backoff: { initial: 1s, max: 60s }
    ///   serve_cache: true                 # cached answers before failing or queuing
    ///   outbox:
    ///     store: sqlite                   # or memory
    ///     path: /srv/app/outbox.sqlite    # default <data_directory>/outbox.sqlite
    ///     max_attempts: 5
    ///     retry_backoff: { initial: 30s, max: 15m }
    /// ```
    func offline(_ node: Node?) throws -> OfflineConfiguration {
        var configuration = OfflineConfiguration(outbox: OutboxConfiguration(storeKind: .sqlite))
        guard let node else { return configuration }
        let settings = try mapping(
            node, path: "offline",
            allowed: ["failures_before_offline", "probe_timeout", "probe_backoff", "serve_cache", "outbox"])
        var policy = configuration.connectivity
        if let value = settings["failures_before_offline"] {
            policy.failuresBeforeUnreachable = try positiveInt(value, path: "offline.failures_before_offline")
        }
        if let value = settings["probe_timeout"] {
            policy.probeTimeout = try duration(value, path: "offline.probe_timeout")
        }
        if let value = settings["probe_backoff"] {
            let (initial, maximum) = try backoff(
                value, path: "offline.probe_backoff", defaults: (policy.initialProbeBackoff, policy.maxProbeBackoff))
            policy.initialProbeBackoff = initial
            policy.maxProbeBackoff = maximum
        }
        configuration.connectivity = ConnectivityPolicy(
            failuresBeforeUnreachable: policy.failuresBeforeUnreachable, probeTimeout: policy.probeTimeout,
            initialProbeBackoff: policy.initialProbeBackoff, maxProbeBackoff: policy.maxProbeBackoff)
        if let value = settings["serve_cache"] {
            configuration.servesCache = try bool(value, path: "offline.serve_cache")
        }
        if let value = settings["outbox"] {
            configuration.outbox = try outbox(value)
        }
        return configuration
    }

    private func outbox(_ node: Node) throws -> OutboxConfiguration {
        let settings = try mapping(
            node, path: "offline.outbox", allowed: ["store", "path", "max_attempts", "retry_backoff"])
        var configuration = OutboxConfiguration(storeKind: .sqlite)
        if let value = settings["store"] {
            configuration.storeKind = try choice(
                value, path: "offline.outbox.store", what: "an outbox store", choices: "sqlite or memory")
        }
        if let value = settings["path"] {
            configuration.path = try expandingEnvironment(
                try string(value, path: "offline.outbox.path"), path: "offline.outbox.path", node: value)
        }
        var maxAttempts = configuration.maxAttempts
        if let value = settings["max_attempts"] {
            maxAttempts = try positiveInt(value, path: "offline.outbox.max_attempts")
        }
        var (initial, maximum) = (configuration.initialRetryBackoff, configuration.maxRetryBackoff)
        if let value = settings["retry_backoff"] {
            (initial, maximum) = try backoff(value, path: "offline.outbox.retry_backoff", defaults: (initial, maximum))
        }
        return OutboxConfiguration(
            storeKind: configuration.storeKind, path: configuration.path, maxAttempts: maxAttempts,
            initialRetryBackoff: initial, maxRetryBackoff: maximum)
    }

    /// `{ initial: 1s, max: 60s }`; `max` must not be below `initial`.
    private func backoff(
        _ node: Node, path: String, defaults: (Duration, Duration)
    ) throws -> (Duration, Duration) {
        let settings = try mapping(node, path: path, allowed: ["initial", "max"])
        let initial = try settings["initial"].map { try duration($0, path: "\(path).initial") } ?? defaults.0
        let maximum = try settings["max"].map { try duration($0, path: "\(path).max") } ?? max(defaults.1, initial)
        guard maximum >= initial else {
            throw ConfigurationError(
                kind: .invalidValue, keyPath: "\(path).max", file: file, line: settings["max"]?.line,
                message: "must not be shorter than \(path).initial")
        }
        return (initial, maximum)
    }
}
