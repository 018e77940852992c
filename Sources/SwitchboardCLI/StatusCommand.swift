import ArgumentParser
import Foundation
import Switchboard

/// `switchboard status`: which providers are configured or found, and whether they answer now.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the configured and discovered providers and check their health once.",
        discussion: """
            Looks for a local Ollama (OLLAMA_HOST, else 127.0.0.1:11434), then probes every provider once and \
            shows the mode: online, degraded (some external providers fail or cannot be reached) or offline \
            (none can be reached), and how many requests wait in the outbox. \
            With rate_limits in the configuration, also lists each rate-limit bucket with its limits, the \
            requests and tokens that could start now, and the requests in flight and waiting. Exits 0 even when some providers are down (this is a report), 3 when no provider is configured \
            or found.
            """)

    @Flag(name: .long, help: "Print a JSON object instead of a table.")
    var json = false

    @Flag(name: .long, help: "Do not look for a local Ollama that is not configured.")
    var noDiscover = false

    @Option(name: .long, help: "Seconds one health probe may take.")
    var timeout: Double = 5

    @Option(name: .long, help: "Seconds after which an answering provider counts as degraded.")
    var slowAfter: Double = 2

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard timeout > 0 else { throw ValidationError("--timeout must be more than 0") }
        guard slowAfter > 0 else { throw ValidationError("--slow-after must be more than 0") }
    }

    func run() async throws {
        let environment = CommandEnvironment(verbose: global.verbose, debug: global.debug)
        let configuration = try environment.loadConfiguration()
        let output = environment.output
        let logger = environment.logger
        let transport = HTTPTransport(configuration: configuration.transport)
        do {
            let report = try await check(configuration, environment: environment, transport: transport)
            try? await transport.shutdown()
            if json {
                output.write(Self.json(report).jsonString() + "\n")
            } else {
                output.write(Self.table(report, output: output))
            }
            if report.discovery.isEmpty {
                output.writeError(
                    "switchboard: no provider configured or found; set OPENAI_API_KEY, ANTHROPIC_API_KEY, "
                        + "GEMINI_API_KEY or OLLAMA_HOST, or add providers to switchboard.yaml\n")
                throw ExitCode(ExitStatus.notConfigured.rawValue)
            }
        } catch {
            try? await transport.shutdown()
            logger.debug("status failed", metadata: ["error": "\(error)"])
            throw error
        }
    }

    struct Report {
        var discovery: DiscoveryReport
        var statuses: [ProviderID: ProviderHealthStatus]
        var rateLimits: [RateLimitBucketStatus] = []
        var performance: [ModelPerformance] = []
        var connectivity: ConnectivityReport?
    }

    private func check(
        _ configuration: SwitchboardConfiguration, environment: CommandEnvironment, transport: HTTPTransport
    ) async throws -> Report {
        let discovery = await ProviderDiscovery.discover(
            environment: environment.environment, configuration: configuration, transport: transport,
            logger: environment.logger, searchesForOllama: !noDiscover)
        let providers = try discovery.configuration.providers.map { try $0.makeProvider(transport: transport) }
        // One round is all there is: a failed probe means down.
        let policy = HealthPolicy(
            probeTimeout: .seconds(timeout), failuresBeforeDown: 1, degradedLatency: .seconds(slowAfter))
        let monitor = HealthMonitor(providers: providers, policy: policy, logger: environment.logger)
        async let connectivity = Self.connectivity(
            providers, configuration: configuration, timeout: .seconds(timeout), environment: environment)
        let statuses = await monitor.checkAll()
        return await Report(
            discovery: discovery, statuses: Dictionary(statuses.map { ($0.provider, $0) }) { first, _ in first },
            rateLimits: try await Self.rateLimits(configuration),
            performance: (try? await Self.performance(configuration)) ?? [], connectivity: connectivity)
    }

    static func milliseconds(_ duration: Duration?) -> Int? {
        duration.map { Int(($0 / .milliseconds(1)).rounded()) }
    }

    static func circuits(_ status: ProviderHealthStatus?) -> String {
        guard let circuits = status?.circuits, !circuits.isEmpty else { return "—" }
        return circuits.map { circuit in circuit.model.map { "\($0): \(circuit.state)" } ?? circuit.state }
            .joined(separator: ", ")
    }

    /// Discovery's words, unless the health round has since reached a server discovery could not.
    static func detail(_ provider: DiscoveryReport.Provider, status: ProviderHealthStatus?) -> String {
        guard provider.isReachable == false, let state = status?.state, state == .up || state == .degraded else {
            return provider.detail
        }
        return provider.endpoint
    }

    static func table(_ report: Report, output: TerminalOutput) -> String {
        var text = ""
        if !report.discovery.providers.isEmpty {
            let rows = report.discovery.providers.map { provider -> [String] in
                let status = report.statuses[provider.id]
                return [
                    provider.id.rawValue, provider.kind.rawValue, provider.isLocal ? "yes" : "no",
                    status?.state.rawValue ?? ProviderHealthState.unknown.rawValue,
                    milliseconds(status?.lastLatency).map { "\($0) ms" } ?? "—", circuits(status),
                    status?.lastError ?? detail(provider, status: status),
                ]
            }
            text += Table(
                header: ["PROVIDER", "KIND", "LOCAL", "STATE", "LATENCY", "CIRCUIT", "DETAIL"], rows: rows
            ).render(output: output)
        }
        if !report.discovery.providers.isEmpty { text += connectivityText(report.connectivity, output: output) }
        text += rateLimitTable(report.rateLimits, output: output)
        text += performanceTable(report.performance, output: output)
        if !report.discovery.absent.isEmpty {
            if !text.isEmpty { text += "\n" }
            text += output.bold("Not available") + "\n"
            for absence in report.discovery.absent {
                text += "  \(absence.id): \(TerminalSanitizer.sanitize(absence.reason))\n"
            }
        }
        return text
    }

    static func json(_ report: Report) -> JSONValue {
        let providers = report.discovery.providers.map { provider -> JSONValue in
            let status = report.statuses[provider.id]
            var object: [String: JSONValue] = [
                "provider": .string(provider.id.rawValue), "kind": .string(provider.kind.rawValue),
                "local": .bool(provider.isLocal), "origin": .string(provider.origin.rawValue),
                "endpoint": .string(provider.endpoint), "detail": .string(provider.detail),
                "state": .string(status?.state.rawValue ?? ProviderHealthState.unknown.rawValue),
                "consecutive_failures": .integer(status?.consecutiveFailures ?? 0),
                "latency_ms": milliseconds(status?.lastLatency).map(JSONValue.integer) ?? .null,
                "error": status?.lastError.map(JSONValue.string) ?? .null,
                "circuits": .array(
                    (status?.circuits ?? []).map { circuit in
                        .object([
                            "model": circuit.model.map(JSONValue.string) ?? .null, "state": .string(circuit.state),
                        ])
                    }),
            ]
            if let reachable = provider.isReachable { object["reachable"] = .bool(reachable) }
            return .object(object)
        }
        let absent = report.discovery.absent.map { absence -> JSONValue in
            .object([
                "provider": .string(absence.id.rawValue), "kind": .string(absence.kind.rawValue),
                "reason": .string(absence.reason),
            ])
        }
        return .object([
            "providers": .array(providers), "not_available": .array(absent),
            "rate_limits": rateLimitJSON(report.rateLimits),
            "today": performanceJSON(report.performance), "connectivity": connectivityJSON(report.connectivity),
        ])
    }
}
