import AsyncHTTPClient
import Foundation
import NIOCore
import Switchboard
import SwitchboardTesting
import Testing

/// `switchboard serve` and `switchboard gateway keys` as processes, and the official Python SDKs
/// (openai, anthropic, ollama) driving the served gateway in front of the simulator. Serialized: each
/// case starts a server process and a Python interpreter, and two cores are shared with every other suite.
@Suite("Gateway: serve command and Python SDKs", .serialized)
struct GatewayProcessTests {
    /// The Python with the SDKs: `SWITCHBOARD_SDK_PYTHON`, else `.build/sdk-venv/bin/python` (made by `.ci/run`).
    static var sdkPython: String {
        ProcessInfo.processInfo.environment["SWITCHBOARD_SDK_PYTHON"]
            ?? RepositoryPaths.root + "/.build/sdk-venv/bin/python"
    }

    /// CI sets `SWITCHBOARD_REQUIRE_SDK_TESTS=1`, so a missing SDK fails instead of skipping.
    static var sdkTestsEnabled: Bool {
        FileManager.default.isExecutableFile(atPath: sdkPython)
            || ProcessInfo.processInfo.environment["SWITCHBOARD_REQUIRE_SDK_TESTS"] == "1"
    }

    /// Starts `switchboard serve --port 0` on the simulator's providers and returns it with its URL.
    static func serve(
        simulator: ProviderSimulator, home: String, extra: [String: String] = [:]
    ) async throws -> (CLIProcess, String) {
        var environment = [
            "OPENAI_API_KEY": testOpenAIKey, "OPENAI_BASE_URL": simulator.baseURL(for: .openAI),
            "ANTHROPIC_API_KEY": testAnthropicKey, "ANTHROPIC_BASE_URL": simulator.baseURL(for: .anthropic),
            "OLLAMA_HOST": simulator.baseURL(for: .ollama), "SWITCHBOARD_HOME": home, "SWITCHBOARD_MAX_RETRIES": "0",
        ]
        environment.merge(extra) { $1 }
        let process = try CLIProcess(["serve", "--port", "0"], environment: environment)
        let banner = await process.firstOutput()
        guard let range = banner.range(of: "http://") else {
            process.interrupt()
            let result = await process.finish()
            throw GatewayProcessFailure(description: "serve did not start: \(banner) \(result.stderr)")
        }
        let url = banner[range.lowerBound...].trimmingCharacters(in: .whitespacesAndNewlines)
        return (process, url)
    }

    @Test func serveAnswersAndStopsGracefullyOnSIGINT() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        try await ProviderSimulator.withSimulator { simulator in
            let (process, url) = try await Self.serve(simulator: simulator, home: home.path)
            let http = HTTPClient(eventLoopGroupProvider: .singleton)
            var request = HTTPClientRequest(url: url + "/health")
            request.method = .GET
            let response = try await http.execute(request, timeout: .seconds(10))
            #expect(response.status == .ok)
            _ = try await response.body.collect(upTo: 1024)
            try await http.shutdown()
            process.interrupt()
            let result = await process.finish()
            #expect(result.status == 0)
            #expect(result.stdout.contains("stopped"))
        }
    }

    @Test func tracesGoToAnOTLPCollectorContinuingTheCallersTrace() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
        try await OTLPCollector.with { collector, collectorURL in
            try await ProviderSimulator.withSimulator { simulator in
                simulator.enqueue(.text("traced"), for: .openAI)
                let (process, url) = try await Self.serve(
                    simulator: simulator, home: home.path,
                    extra: ["OTEL_EXPORTER_OTLP_ENDPOINT": collectorURL, "OTEL_BSP_SCHEDULE_DELAY": "50"])
                let http = HTTPClient(eventLoopGroupProvider: .singleton)
                var chat = HTTPClientRequest(url: url + "/v1/chat/completions")
                chat.method = .POST
                chat.headers.add(name: "content-type", value: "application/json")
                chat.headers.add(name: "traceparent", value: "00-\(traceID)-00f067aa0ba902b7-01")
                chat.body = .bytes(
                    ByteBuffer(string: #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}"#))
                let answered = try await http.execute(chat, timeout: .seconds(10))
                _ = try await answered.body.collect(upTo: 1 << 20)
                try await http.shutdown()
                // SIGINT flushes the exporter's last batch before the process ends.
                process.interrupt()
                let result = await process.finish()
                #expect(answered.status == .ok)
                #expect(result.status == 0)
                let traceBytes = stride(from: 0, to: traceID.count, by: 2).map { offset -> UInt8 in
                    let start = traceID.index(traceID.startIndex, offsetBy: offset)
                    return UInt8(traceID[start..<traceID.index(start, offsetBy: 2)], radix: 16)!
                }
                #expect(!collector.exports.isEmpty)
                #expect(collector.received(traceBytes), "the gateway's spans continue the caller's trace")
                #expect(collector.received(Array("gen_ai.system".utf8)))
                #expect(collector.received(Array("switchboard-gateway".utf8)))
                #expect(!collector.received(Array(testOpenAIKey.utf8)))
            }
        }
    }

    @Test func metricsAreServedInThePrometheusFormat() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        try await ProviderSimulator.withSimulator { simulator in
            simulator.enqueue(.text("counted", usage: SimulatedUsage(inputTokens: 7, outputTokens: 2)), for: .openAI)
            let (process, url) = try await Self.serve(simulator: simulator, home: home.path)
            let http = HTTPClient(eventLoopGroupProvider: .singleton)
            var chat = HTTPClientRequest(url: url + "/v1/chat/completions")
            chat.method = .POST
            chat.headers.add(name: "content-type", value: "application/json")
            chat.body = .bytes(
                ByteBuffer(string: #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}"#))
            let answered = try await http.execute(chat, timeout: .seconds(10))
            #expect(answered.status == .ok)
            _ = try await answered.body.collect(upTo: 1 << 20)
            let scraped = try await http.execute(HTTPClientRequest(url: url + "/metrics"), timeout: .seconds(10))
            let text = String(buffer: try await scraped.body.collect(upTo: 1 << 20))
            try await http.shutdown()
            process.interrupt()
            _ = await process.finish()
            #expect(scraped.status == .ok)
            #expect(scraped.headers.first(name: "content-type")?.hasPrefix("text/plain; version=0.0.4") == true)
            #expect(text.contains(#"switchboard_requests{"#))
            #expect(text.contains(#"gen_ai_system="openai""#))
            #expect(text.contains(#"outcome="success""#))
            #expect(text.contains("gen_ai_client_operation_duration"))
            #expect(text.contains("switchboard_attempts"))
            #expect(!text.contains(testOpenAIKey))
        }
    }

    @Test func keysCreateListRevoke() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let environment = ["SWITCHBOARD_HOME": home.path]
        let created = try await CLIProcess.run(
            [
                "gateway", "keys", "create", "billing", "--model", "gpt-4o*", "--feature", "invoices", "--budget",
                "12.5",
                "--budget-period", "daily",
            ],
            environment: environment)
        #expect(created.status == 0)
        let secret = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(secret.hasPrefix("sbk-"))
        let file = try String(contentsOfFile: home.path + "/gateway/keys.json", encoding: .utf8)
        #expect(!file.contains(secret))
        let listed = try await CLIProcess.run(["gateway", "keys", "list", "--json"], environment: environment)
        let keys = try JSONValue.parse(listed.stdout)
        #expect(keys[0]?["name"] == "billing")
        #expect(keys[0]?["models"] == ["gpt-4o*"])
        #expect(keys[0]?["active"] == true)
        #expect(keys[0]?["budget_usd"] == "12.500000")
        #expect(keys[0]?["budget_period"] == "daily")
        let badBudget = try await CLIProcess.run(
            ["gateway", "keys", "create", "other", "--budget", "ten"], environment: environment)
        #expect(badBudget.status == 2)
        #expect(badBudget.stderr.contains("--budget"))
        #expect(!listed.stdout.contains(secret))
        let revoked = try await CLIProcess.run(["gateway", "keys", "revoke", "billing"], environment: environment)
        #expect(revoked.status == 0)
        let again = try await CLIProcess.run(["gateway", "keys", "revoke", "billing"], environment: environment)
        #expect(again.status == 2)
    }

    @Test(.enabled(if: sdkTestsEnabled), arguments: ["openai", "anthropic", "ollama"])
    func officialSDK(_ sdk: String) async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let created = try await CLIProcess.run(
            ["gateway", "keys", "create", "sdk-\(sdk)"], environment: ["SWITCHBOARD_HOME": home.path])
        let key = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(key.hasPrefix("sbk-"), "\(created.stderr)")
        try await ProviderSimulator.withSimulator { simulator in
            let provider: SimulatedProvider =
                switch sdk {
                case "openai": .openAI
                case "anthropic": .anthropic
                default: .ollama
                }
            var streamed = SimulatedReply.text("Streamed hello")
            streamed.chunkSize = 3
            let arguments = sdk == "anthropic" ? #"{"location":"Paris"}"# : #"{"city":"Paris"}"#
            for reply in [
                .text("Hello from the simulator"), streamed, .toolCall(name: "get_weather", arguments: arguments),
                .failure(status: 429, retryAfter: .seconds(7)),
            ] as [SimulatedReply] {
                simulator.enqueue(reply, for: provider)
            }
            let (process, url) = try await Self.serve(simulator: simulator, home: home.path)
            let result = try await Self.runPython(
                [Self.sdkPython, RepositoryPaths.root + "/Tests/GatewaySDK/sdk_clients.py", sdk],
                environment: ["GATEWAY_URL": url, "GATEWAY_KEY": key])
            process.interrupt()
            let served = await process.finish()
            #expect(result.status == 0, "\(result.output)\nserve stderr: \(served.stderr)")
            #expect(result.output.contains("passed"))
            #expect(served.status == 0)
        }
    }

    /// Runs `arguments[0]` with the rest, loopback exempt from any proxy.
    static func runPython(
        _ arguments: [String], environment extra: [String: String]
    ) async throws -> (status: Int32, output: String) {
        try await runToEnd(
            arguments[0], Array(arguments.dropFirst()),
            environment: extra.merging(["NO_PROXY": "127.0.0.1,localhost"]) { $1 })
    }
}

struct GatewayProcessFailure: Error, CustomStringConvertible {
    var description: String
}
