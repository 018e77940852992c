import Foundation
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle
import Switchboard

/// Runs the gateway until SIGINT or SIGTERM: binds, reports the address, then shuts down gracefully —
/// no new connections, in-flight requests and streams get ``GatewayConfiguration/shutdownGracePeriod``
/// to finish, then the client's connections are closed.
///
/// Safe default: with no active virtual key and no `SWITCHBOARD_GATEWAY_ADMIN_KEY` the gateway is open to
/// anyone who can connect, so it refuses to bind anything but a loopback address.
public enum GatewayServer {
    /// Runs the gateway for `configuration`'s providers. `onRunning` receives the bound `host:port`;
    /// `metrics`, when given, is served at `GET /metrics`. `services` run alongside the server and stop
    /// after it (an OTLP exporter, so the last spans are sent).
    public static func run(
        switchboard: SwitchboardConfiguration,
        gateway configuration: GatewayConfiguration,
        adminKey: String?,
        logger: Logger,
        metrics: PrometheusCollectorRegistry? = nil,
        services: [any Service] = [],
        onRunning: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws {
        let authenticator = GatewayAuthenticator(
            store: GatewayKeyStore(dataDirectory: switchboard.dataDirectory), adminKey: adminKey)
        guard try configuration.bindsLoopbackOnly || authenticator.requiresKey() else {
            throw GatewayStartError(
                message: "refusing to listen on \(configuration.host) without keys: create one with "
                    + "'switchboard gateway keys create <name>' or set SWITCHBOARD_GATEWAY_ADMIN_KEY, "
                    + "or bind 127.0.0.1")
        }
        let client = try LLMClient(configuration: switchboard, logger: logger)
        let logger = client.redacting(logger)
        let gateway = Gateway(
            client: client, configuration: configuration, authenticator: authenticator, logger: logger,
            metrics: metrics)
        let app = gateway.makeApplication { channel in
            let address = channel.localAddress
            let host = address?.ipAddress ?? configuration.host
            let port = address?.port ?? configuration.port
            let shown = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
            logger.info("gateway listening", metadata: ["address": "\(shown)"])
            onRunning(shown)
        }
        var groupConfiguration = ServiceGroupConfiguration(
            // Recovery probes and the outbox's drain run beside the server, stopping after it.
            services: (services + [client.connectivity, client.outbox]).map { .init(service: $0) } + [
                .init(service: app)
            ],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = configuration.shutdownGracePeriod
        let group = ServiceGroup(configuration: groupConfiguration)
        do {
            try await group.run()
        } catch {
            try? await client.shutdown()
            throw error
        }
        // Flushes the usage ledger and closes the provider connections.
        try await client.shutdown()
        logger.info("gateway stopped")
    }
}

/// The gateway cannot start with the given settings.
public struct GatewayStartError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
