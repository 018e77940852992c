import Logging

/// Finds the providers this process can use: the configured ones, and a local Ollama server.
///
/// The hosted providers are reported from the configuration alone (a key or endpoint is set, or the
/// variable to set is named). Ollama servers are probed with one `GET /api/version` within
/// `probeTimeout`: the configured host (`OLLAMA_HOST` or `providers.ollama`), or, when none is
/// configured, the default `127.0.0.1:11434`. When nothing listens there the probe ends with one
/// refused connection, so discovery stays fast on a machine without Ollama.
///
/// ```swift
/// let report = await ProviderDiscovery.discover(
///     environment: ProcessInfo.processInfo.environment, configuration: try .load(),
///     transport: transport, logger: logger)
/// let client = try LLMClient(configuration: report.configuration)   // includes a running Ollama
/// ```
public enum ProviderDiscovery {
    /// Reports the configured providers and probes for Ollama; see ``DiscoveryReport``.
    ///
    /// - Parameters:
    ///   - environment: the process environment; read for `OLLAMA_HOST` (when the configuration has no
    ///     Ollama) and to name where keys come from.
    ///   - configuration: the loaded configuration.
    ///   - transport: the HTTP transport for the probes.
    ///   - logger: receives a debug line per probe.
    ///   - probeTimeout: how long one Ollama probe may take; default 1 s.
    ///   - searchesForOllama: whether to look for an Ollama that is not configured; when `false`, only
    ///     configured Ollama servers are probed.
    public static func discover(
        environment: [String: String],
        configuration: SwitchboardConfiguration,
        transport: HTTPTransport,
        logger: Logger,
        probeTimeout: Duration = .seconds(1),
        searchesForOllama: Bool = true
    ) async -> DiscoveryReport {
        var report = DiscoveryReport(providers: [], absent: [], configuration: configuration)

        // The Ollama servers to probe: each configured one, else OLLAMA_HOST or the default host.
        var hosts: [(id: ProviderID, host: String)] = configuration.providers.filter { $0.kind == .ollama }.map {
            ($0.id, OllamaConfiguration.normalizedHost($0.baseURL ?? OllamaConfiguration.defaultHost))
        }
        let ollamaConfigured = !hosts.isEmpty
        let looksForOllama = !ollamaConfigured && searchesForOllama
        if looksForOllama {
            let host = environment["OLLAMA_HOST"].flatMap { $0.isEmpty ? nil : $0 } ?? OllamaConfiguration.defaultHost
            hosts = [(.ollama, OllamaConfiguration.normalizedHost(host))]
        }
        let probes = await withTaskGroup(of: (ProviderID, OllamaProbe).self) { group in
            for (id, host) in hosts {
                group.addTask {
                    (
                        id,
                        await probeOllama(
                            id: id, host: host, transport: transport, logger: logger, timeout: probeTimeout)
                    )
                }
            }
            var probes: [ProviderID: OllamaProbe] = [:]
            for await (id, probe) in group { probes[id] = probe }
            return probes
        }

        for settings in configuration.providers {
            report.providers.append(describe(settings, environment: environment, probe: probes[settings.id]))
        }
        if looksForOllama, let target = hosts.first, let probe = probes[target.id] {
            let (id, host) = target
            switch probe {
            case .running(let version):
                report.providers.append(
                    DiscoveryReport.Provider(
                        id: id, kind: .ollama, endpoint: host, isLocal: BaseURL.isLoopbackURL(host),
                        origin: .discovered, isReachable: true, detail: "Ollama \(version) found running"))
                report.configuration.providers.append(ProviderConfiguration(id: id, kind: .ollama, baseURL: host))
            case .failed(let reason):
                report.absent.append(
                    DiscoveryReport.Absence(
                        id: id, kind: .ollama, reason: reason + "; start `ollama serve` or set OLLAMA_HOST"))
            }
        }
        if !ollamaConfigured && !searchesForOllama {
            report.absent.append(
                DiscoveryReport.Absence(id: .ollama, kind: .ollama, reason: "OLLAMA_HOST not set (not searched)"))
        }
        for kind in ProviderKind.allCases where kind != .ollama {
            guard !configuration.providers.contains(where: { $0.id == kind.defaultID }) else { continue }
            let variables = kind.apiKeyVariables.joined(separator: " or ")
            report.absent.append(
                DiscoveryReport.Absence(id: kind.defaultID, kind: kind, reason: "\(variables) not set"))
        }
        return report
    }

    private enum OllamaProbe: Sendable {
        case running(version: String)
        case failed(reason: String)
    }

    private static func describe(
        _ settings: ProviderConfiguration, environment: [String: String], probe: OllamaProbe?
    ) -> DiscoveryReport.Provider {
        let endpoint: String
        switch settings.kind {
        case .openAI: endpoint = settings.baseURL ?? OpenAIConfiguration.defaultBaseURL
        case .anthropic: endpoint = settings.baseURL ?? AnthropicConfiguration.defaultBaseURL
        case .gemini: endpoint = settings.baseURL ?? GeminiConfiguration.defaultBaseURL
        case .ollama: endpoint = OllamaConfiguration.normalizedHost(settings.baseURL ?? OllamaConfiguration.defaultHost)
        }
        let isLocal = settings.isLocal ?? BaseURL.isLoopbackURL(endpoint)
        var provider = DiscoveryReport.Provider(
            id: settings.id, kind: settings.kind, endpoint: endpoint, isLocal: isLocal, origin: .configured,
            detail: "")
        switch probe {
        case .running(let version):
            provider.isReachable = true
            provider.detail = "Ollama \(version)"
            return provider
        case .failed(let reason):
            provider.isReachable = false
            provider.detail = reason
            return provider
        case nil:
            break
        }
        var parts: [String] = []
        if settings.id != settings.kind.defaultID { parts.append("\(settings.kind.rawValue)-compatible endpoint") }
        if settings.apiKey != nil {
            let variable = settings.kind.apiKeyVariables.first { environment[$0].map { !$0.isEmpty } == true }
            parts.append(variable.map { "key from \($0)" } ?? "key set")
        } else if !isLocal {
            parts.append("no API key (set \(settings.kind.apiKeyVariables[0]))")
        }
        if settings.baseURL != nil { parts.append(endpoint) }
        provider.detail = parts.joined(separator: ", ")
        return provider
    }

    private static func probeOllama(
        id: ProviderID, host: String, transport: HTTPTransport, logger: Logger, timeout: Duration
    ) async -> OllamaProbe {
        let api: OllamaModelAPI
        do {
            api = OllamaModelAPI(configuration: try OllamaConfiguration(id: id, host: host), transport: transport)
        } catch {
            return .failed(reason: "\(host) is not a usable Ollama host: \(error)")
        }
        let result = await withTaskGroup(of: OllamaProbe?.self) { group in
            group.addTask {
                do {
                    return .running(version: try await api.version(logger: logger))
                } catch let error as ProviderError where error.kind == .network {
                    return .failed(reason: "not running at \(host)")
                } catch let error as ProviderError {
                    return .failed(reason: "no Ollama at \(host) (\(error.kind))")
                } catch {
                    return .failed(reason: "no Ollama at \(host)")
                }
            }
            group.addTask {
                do {
                    try await Task.sleep(for: timeout)
                    return .failed(reason: "no answer from \(host) within \(timeout.formattedSeconds)")
                } catch {
                    return nil
                }
            }
            var result = OllamaProbe.failed(reason: "discovery was cancelled")
            for await next in group {
                guard let next else { continue }
                result = next
                break
            }
            group.cancelAll()
            return result
        }
        logger.debug("ollama discovery probe", metadata: ["host": "\(host)", "result": "\(result)"])
        return result
    }
}
