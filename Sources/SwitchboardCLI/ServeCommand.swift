import ArgumentParser
import Foundation
import ServiceLifecycle
import Switchboard
import SwitchboardGateway

/// `switchboard serve`: the OpenAI-, Anthropic- and Ollama-compatible gateway.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the OpenAI, Anthropic and Ollama APIs over the configured providers.",
        discussion: """
            Point an SDK at it: OPENAI_BASE_URL=http://127.0.0.1:8080/v1, ANTHROPIC_BASE_URL=http://127.0.0.1:8080, \
            OLLAMA_HOST=127.0.0.1:8080. Callers authenticate with a key from 'switchboard gateway keys create' \
            (or SWITCHBOARD_GATEWAY_ADMIN_KEY); with neither, only a loopback address may be bound. \
            SIGINT or SIGTERM stops it gracefully. With --otlp-endpoint or OTEL_EXPORTER_OTLP_ENDPOINT, \
            traces go to an OpenTelemetry collector over OTLP/HTTP.
            """)

    @Option(name: .long, help: "The address to bind.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "The port to bind (0 picks a free one).")
    var port = 8080

    @Option(name: .long, help: "A switchboard.yaml to read instead of the usual places.")
    var config: String?

    @Option(name: .long, help: "The largest request body accepted, in bytes.")
    var maxBodyBytes = 32 * 1024 * 1024

    @Option(name: .long, help: "The most requests handled at once.")
    var maxConcurrentRequests = 1024

    @Option(name: .long, help: "The most streams open at once.")
    var maxConcurrentStreams = 1024

    @Option(name: .long, help: "Seconds in-flight requests may run on after SIGINT or SIGTERM.")
    var gracePeriod: Double = 30

    @Option(
        name: .long,
        help:
            "Export traces over OTLP/HTTP to this collector, e.g. http://127.0.0.1:4318 (default: OTEL_EXPORTER_OTLP_ENDPOINT)."
    )
    var otlpEndpoint: String?

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard maxBodyBytes > 0, maxConcurrentRequests > 0, maxConcurrentStreams > 0 else {
            throw ValidationError("limits must be more than 0")
        }
        guard gracePeriod >= 0 else { throw ValidationError("--grace-period must be 0 or more") }
    }

    func run() async throws {
        let environment = CommandEnvironment(verbose: global.verbose)
        var variables = environment.environment
        if let config { variables["SWITCHBOARD_CONFIG"] = config }
        var configuration = try SwitchboardConfiguration.load(environment: variables)
        configuration.transport.maximumConnectionsPerHost = max(
            configuration.transport.maximumConnectionsPerHost, maxConcurrentRequests)
        guard !configuration.providers.isEmpty else {
            throw ProviderError(
                kind: .notConfigured,
                message:
                    "no provider configured; set OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY or OLLAMA_HOST, "
                    + "or add providers to switchboard.yaml")
        }
        let gateway = GatewayConfiguration(
            host: host, port: port, maxBodyBytes: maxBodyBytes, maxConcurrentRequests: maxConcurrentRequests,
            maxConcurrentStreams: maxConcurrentStreams, shutdownGracePeriod: .milliseconds(Int64(gracePeriod * 1000)))
        let output = environment.output
        var services: [any Service] = []
        if OTLPTracing.isRequested(endpoint: otlpEndpoint, environment: variables) {
            services.append(try OTLPTracing.bootstrap(endpoint: otlpEndpoint))
        }
        do {
            try await GatewayServer.run(
                switchboard: configuration, gateway: gateway,
                adminKey: variables["SWITCHBOARD_GATEWAY_ADMIN_KEY"], logger: environment.logger,
                metrics: PrometheusMetrics.bootstrap(), services: services
            ) { address in
                output.write("switchboard gateway listening on http://\(address)\n")
            }
        } catch let error as GatewayStartError {
            throw UsageError(description: error.message)
        }
        output.write("switchboard gateway stopped\n")
    }
}
