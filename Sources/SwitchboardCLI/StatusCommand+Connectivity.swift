import Foundation
import Switchboard

/// The connectivity part of `switchboard status`: the mode (online, degraded, offline) from one probe of
/// each external provider, and how many requests wait in the outbox.
extension StatusCommand {
    struct ConnectivityReport {
        var mode: ConnectivityMode
        var reason: String?
        var waiting: Int
    }

    /// Probes the external ones among `providers` once; any network failure counts (one round is all there is).
    static func connectivity(
        _ providers: [any LanguageModelProvider], configuration: SwitchboardConfiguration, timeout: Duration,
        environment: CommandEnvironment
    ) async -> ConnectivityReport {
        let monitor = ConnectivityMonitor(
            providers: providers, policy: ConnectivityPolicy(failuresBeforeUnreachable: 1, probeTimeout: timeout),
            logger: environment.logger)
        let changes = monitor.modeChanges()
        let mode = await monitor.checkNow()
        var reason: String?
        if mode != .online {
            for await change in changes where change.to == mode {
                reason = change.reason
                break
            }
        }
        let store = try? configuration.offline.outbox.makeStore(dataDirectory: configuration.dataDirectory)
        let waiting = (try? await store?.entries().count { !$0.state.isFinal }) ?? 0
        return ConnectivityReport(mode: mode, reason: reason, waiting: waiting)
    }

    static func connectivityText(_ report: ConnectivityReport?, output: TerminalOutput) -> String {
        guard let report else { return "" }
        let mode: String =
            switch report.mode {
            case .online: output.green("online")
            case .degraded: output.yellow("degraded")
            case .offline: output.red("offline")
            }
        var text = "\n" + output.bold("Mode") + " " + mode
        if let reason = report.reason { text += output.dim(" — " + TerminalSanitizer.sanitize(reason)) }
        text += "\n"
        if report.waiting > 0 {
            text += output.bold("Outbox") + " \(report.waiting) request(s) waiting (switchboard outbox list)\n"
        }
        return text
    }

    static func connectivityJSON(_ report: ConnectivityReport?) -> JSONValue {
        guard let report else { return .null }
        return .object([
            "mode": .string(report.mode.rawValue), "reason": report.reason.map(JSONValue.string) ?? .null,
            "outbox_waiting": .integer(report.waiting),
        ])
    }
}
