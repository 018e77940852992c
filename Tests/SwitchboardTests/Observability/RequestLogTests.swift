import Foundation
import Switchboard
import SwitchboardTesting
import Synchronization
import Testing

/// The request log: one parsed JSON line per request, content only in debug mode and redacted,
/// file rotation, configuration and `ask --debug`.
@Suite struct RequestLogTests {
    final class CapturingSink: RequestLogSink {
        private let entries = Mutex<[RequestLogEntry]>([])
        var lines: [String] { entries.withLock { $0.map { $0.jsonLine() } } }
        func write(_ entry: RequestLogEntry) { entries.withLock { $0.append(entry) } }

        /// Every line, parsed back: what a log shipper would read.
        func parsed() throws -> [RequestLogEntry] { try lines.map(RequestLogEntry.parse) }
    }

    @Test func successFallbackAndErrorEachWriteOneLine() async throws {
        let sink = CapturingSink()
        try await withSimulatedClient(
            stages: [RequestLogStage(sinks: [sink])], configure: { $0.routing = RoutingConfiguration() }
        ) { client, simulator in
            simulator.enqueue(.text("ok", usage: SimulatedUsage(inputTokens: 9, outputTokens: 2)), for: .anthropic)
            var request = ChatRequest(messages: [.user("secret plans")], provider: .anthropic)
            request.metadata.feature = "summaries"
            request.metadata.user = "u-42"
            _ = try await client.chat(request)

            simulator.enqueue(.failure(status: 529), for: .anthropic)
            simulator.enqueue(.text("from gemini"), for: .gemini)
            _ = try await client.chat(
                ChatRequest(messages: [.user("x")], metadata: RequestMetadata(taskType: .complexReasoning)))

            simulator.enqueue(.failure(status: 400), for: .anthropic)
            _ = try? await client.chat(ChatRequest(messages: [.user("x")], provider: .anthropic))
        }
        let entries = try sink.parsed()
        #expect(entries.count == 3)
        #expect(entries[0].outcome == "success")
        #expect(entries[0].provider == "anthropic")
        #expect(entries[0].feature == "summaries" && entries[0].user == "u-42")
        #expect(entries[0].tokens?.input == 9 && entries[0].tokens?.output == 2)
        #expect(entries[0].attempts.map(\.outcome) == ["success"])
        #expect(entries[0].prompt == nil && entries[0].response == nil)
        #expect(!sink.lines[0].contains("secret plans"))
        #expect(entries[1].provider == "gemini")
        #expect(entries[1].taskType == "complex")
        #expect(entries[1].attempts.map(\.outcome) == ["overloaded", "success"])
        #expect(entries[2].outcome == "invalidRequest")
        #expect(entries[2].error != nil)
        #expect(Set(entries.map(\.requestID)).count == 3)
    }

    @Test func debugModeAddsRedactedContentAndTheKeyAppearsNowhere() async throws {
        let sink = CapturingSink()
        let stage = RequestLogStage(sinks: [sink], includesContent: true, secrets: [testOpenAIKey])
        try await withSimulatedClient(stages: [stage]) { client, simulator in
            simulator.enqueue(.text("the answer mentions \(testOpenAIKey)"), for: .openAI)
            _ = try await client.chat(
                ChatRequest(messages: [.system("be brief"), .user("my key is \(testOpenAIKey)")], provider: .openAI))
            simulator.enqueue(.text("streamed words"), for: .openAI)
            for try await _ in try await client.stream(ChatRequest(messages: [.user("stream")], provider: .openAI)) {}
            simulator.enqueue(.failure(status: 401), for: .openAI)
            _ = try? await client.chat(ChatRequest(messages: [.user("again \(testOpenAIKey)")], provider: .openAI))
        }
        let entries = try sink.parsed()
        #expect(entries.count == 3)
        #expect(entries[0].prompt == ["system: be brief", "user: my key is [REDACTED]"])
        #expect(entries[0].response == "the answer mentions [REDACTED]")
        #expect(entries[1].streamed)
        #expect(entries[1].response == "streamed words")
        #expect(entries[2].outcome == "authentication")
        for line in sink.lines { #expect(!line.contains(testOpenAIKey)) }
    }

    @Test func aStreamsLineIsWrittenWhenItEndsOrIsAbandoned() async throws {
        let sink = CapturingSink()
        try await withSimulatedClient(stages: [RequestLogStage(sinks: [sink])]) { client, simulator in
            simulator.enqueue(.text("whole", usage: SimulatedUsage(inputTokens: 3, outputTokens: 1)), for: .openAI)
            let stream = try await client.stream(ChatRequest(messages: [.user("x")], provider: .openAI))
            #expect(sink.lines.isEmpty)
            for try await _ in stream {}
            #expect(try sink.parsed().last?.outcome == "success")
            #expect(try sink.parsed().last?.tokens?.output == 1)

            var long = SimulatedReply.text(String(repeating: "more ", count: 200))
            long.chunkSize = 5
            simulator.enqueue(long, for: .openAI)
            for try await event in try await client.stream(ChatRequest(messages: [.user("x")], provider: .openAI)) {
                if case .textDelta = event { break }
            }
        }
        #expect(try sink.parsed().map(\.outcome) == ["success", "abandoned"])
    }

    @Test func aConfiguredLogFileGetsTheExactCost() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/requests.jsonl"
        let cost = try await withSimulatedClient(configure: { $0.requestLog = RequestLogConfiguration(file: path) }) {
            client, simulator in
            simulator.enqueue(.text("priced", usage: SimulatedUsage(inputTokens: 1200, outputTokens: 80)), for: .openAI)
            let response = try await client.chat(
                ChatRequest(messages: [.user("x")], model: "gpt-4o-mini", provider: .openAI))
            return try #require(response.cost).total
        }
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1)
        let entry = try RequestLogEntry.parse(String(lines[0]))
        #expect(entry.costUSD == cost.exactDecimalString)
        #expect(entry.model == "gpt-4o-mini")
    }

    @Test func theFileRotatesBySizeAndKeepsTheConfiguredNumber() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/logs/requests.jsonl"
        let sink = RotatingFileRequestLogSink(path: path, maximumBytes: 600, retainedFiles: 2)
        let entry = RequestLogEntry(
            time: Date(timeIntervalSince1970: 1_790_000_000), requestID: "r", provider: "openai", model: "m",
            outcome: "success", latencyMilliseconds: 5)
        let lineLength = entry.jsonLine().utf8.count + 1
        let perFile = 600 / lineLength
        for index in 0..<(perFile * 4) {
            var numbered = entry
            numbered.requestID = "r\(index)"
            sink.write(numbered)
        }
        let manager = FileManager.default
        #expect(manager.fileExists(atPath: path))
        #expect(manager.fileExists(atPath: path + ".1"))
        #expect(manager.fileExists(atPath: path + ".2"))
        #expect(!manager.fileExists(atPath: path + ".3"))
        for file in [path, path + ".1", path + ".2"] {
            let size = try #require(try manager.attributesOfItem(atPath: file)[.size] as? NSNumber).intValue
            #expect(size <= 600)
        }
        let current = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(try RequestLogEntry.parse(String(current.last ?? "")).requestID == "r\(perFile * 4 - 1)")
        let permissions = try manager.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
        #expect(permissions?.intValue == 0o600)
    }

    @Test func configurationAndEnvironmentTurnItOn() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(
            "switchboard.yaml",
            "request_log: { file: \"${SWITCHBOARD_HOME}/requests.jsonl\", max_size: 1MB, retain: 3, include_content: true }\n"
        )
        let configuration = try SwitchboardConfiguration.load(
            environment: ["HOME": directory.path, "SWITCHBOARD_HOME": "/data", "SWITCHBOARD_DEBUG": "1"],
            currentDirectory: directory.path)
        #expect(
            configuration.requestLog
                == RequestLogConfiguration(
                    file: "/data/requests.jsonl", maximumBytes: 1_000_000, retainedFiles: 3, includesContent: true))
        #expect(configuration.debug)
        try directory.write("switchboard.yaml", "request_log: { retain: many }\n")
        #expect {
            try SwitchboardConfiguration.load(environment: ["HOME": directory.path], currentDirectory: directory.path)
        } throws: { ($0 as? ConfigurationError)?.keyPath == "request_log.retain" }
    }

    @Test func askDebugWritesTheRedactedLineToStandardError() async throws {
        try await ProviderSimulator.withSimulator { simulator in
            simulator.enqueue(.text("fine"), for: .openAI)
            let environment = AskCommandTests.openAIEnvironment(simulator)
            let key = try #require(environment["OPENAI_API_KEY"])
            let result = try await CLIProcess.run(
                ["ask", "--debug", "--no-stream", "hello \(key)"], environment: environment)
            #expect(result.status == 0, "stderr: \(result.stderr)")
            #expect(result.stdout == "fine\n")
            let line = try #require(result.stderr.split(separator: "\n").first { $0.hasPrefix("{") })
            let entry = try RequestLogEntry.parse(String(line))
            #expect(entry.prompt == ["user: hello [REDACTED]"])
            #expect(entry.response == "fine")
            #expect(!result.stderr.contains(key))
        }
    }
}
