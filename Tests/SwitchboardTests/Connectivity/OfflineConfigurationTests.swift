import Foundation
import Switchboard
import Testing

/// The `offline:` section of switchboard.yaml.
@Suite struct OfflineConfigurationTests {
    private func load(_ yaml: String) throws -> SwitchboardConfiguration {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = try directory.write("switchboard.yaml", yaml)
        return try SwitchboardConfiguration.load(
            environment: ["SWITCHBOARD_CONFIG": file, "HOME": directory.path], currentDirectory: directory.path)
    }

    @Test func everySettingIsRead() throws {
        let configuration = try load(
            """
            offline:
              failures_before_offline: 3
              probe_timeout: 2s
              probe_backoff: { initial: 500ms, max: 30s }
              serve_cache: false
              outbox:
                store: memory
                path: /tmp/elsewhere/outbox.sqlite
                max_attempts: 7
                retry_backoff: { initial: 10s, max: 5m }
            """)
        let offline = configuration.offline
        #expect(offline.connectivity.failuresBeforeUnreachable == 3)
        #expect(offline.connectivity.probeTimeout == .seconds(2))
        #expect(offline.connectivity.initialProbeBackoff == .milliseconds(500))
        #expect(offline.connectivity.maxProbeBackoff == .seconds(30))
        #expect(offline.servesCache == false)
        #expect(offline.outbox.storeKind == .memory)
        #expect(offline.outbox.path == "/tmp/elsewhere/outbox.sqlite")
        #expect(offline.outbox.maxAttempts == 7)
        #expect(offline.outbox.initialRetryBackoff == .seconds(10))
        #expect(offline.outbox.maxRetryBackoff == .seconds(300))
    }

    @Test func withoutTheSectionTheOutboxIsInSQLiteUnderTheDataDirectory() throws {
        let configuration = try load("default_provider: openai\n")
        #expect(configuration.offline.outbox.storeKind == .sqlite)
        #expect(configuration.offline.servesCache)
        #expect(configuration.offline.connectivity == ConnectivityPolicy())
        #expect(SwitchboardConfiguration().offline.outbox.storeKind == .memory)
    }

    @Test func mistakesNameTheirKey() throws {
        let unknown = #expect(throws: ConfigurationError.self) { try load("offline:\n  failures: 2\n") }
        #expect(unknown?.keyPath == "offline.failures")
        let store = #expect(throws: ConfigurationError.self) { try load("offline:\n  outbox: { store: redis }\n") }
        #expect(store?.keyPath == "offline.outbox.store")
        let backoff = #expect(throws: ConfigurationError.self) {
            try load("offline:\n  probe_backoff: { initial: 10s, max: 1s }\n")
        }
        #expect(backoff?.keyPath == "offline.probe_backoff.max")
    }
}
