import Foundation
import Logging
import Switchboard
import SwitchboardTesting
import Synchronization
import Testing

/// The canary: known fake keys go through the whole request path — success, every error kind the
/// simulator can produce, streams, rotation, debug mode — while every log line, error description,
/// response dump and audit entry is captured. No key may appear in any of them.
@Suite(.serialized, .timeLimit(.minutes(3))) struct KeyCanaryTests {
    /// A key with no provider-key shape, so only exact-secret redaction can catch it.
    static let openAIKey = "ck-CANARY-0d9f8e7a6b5c4d3e2f1a"
    static let openAISpareKey = "ck-CANARY-SPARE-99aa88bb77cc66dd"
    static let anthropicKey = "sk-ant-CANARY-5e4d3c2b1a0f9e8d"
    static let geminiKey = "AIzaCANARY-7c6b5a4f3e2d1c0b9a8f"
    static let canaries = [openAIKey, openAISpareKey, anthropicKey, geminiKey]

    /// Every place a key could leak to, gathered.
    final class Evidence: Sendable {
        private let storage = Mutex<[String]>([])

        var texts: [String] { storage.withLock { $0 } }

        func append(_ texts: [String]) { storage.withLock { $0 += texts } }

        func append(_ text: String) { append([text]) }

        func error(_ error: any Error) {
            var dumped = ""
            dump(error, to: &dumped)
            append(["\(error)", String(reflecting: error), error.localizedDescription, dumped])
            if let error = error as? ProviderError { append(error.attempts.map { String(reflecting: $0) }) }
        }
    }

    @Test func noKeyInAnyLogErrorOrAuditEntry() async throws {
        let capture = LogCapture()
        let audit = InMemoryAuditStore()
        let evidence = Evidence()
        try await ProviderSimulator.withSimulator { simulator in
            var openAI = ProviderConfiguration(id: .openAI, kind: .openAI, baseURL: simulator.baseURL(for: .openAI))
            openAI.keys = [
                ManagedKey(name: "main", provider: .openAI, secret: APIKey(Self.openAIKey)),
                ManagedKey(name: "spare", provider: .openAI, secret: APIKey(Self.openAISpareKey)),
            ]
            var configuration = SwitchboardConfiguration(
                providers: [
                    openAI,
                    ProviderConfiguration(
                        id: .anthropic, kind: .anthropic, apiKey: APIKey(Self.anthropicKey),
                        baseURL: simulator.baseURL(for: .anthropic)),
                    ProviderConfiguration(
                        id: .gemini, kind: .gemini, apiKey: APIKey(Self.geminiKey),
                        baseURL: simulator.baseURL(for: .gemini)),
                ],
                transport: TransportConfiguration(requestTimeout: .seconds(2), idleTimeout: .seconds(2)))
            configuration.resilience.retry.maxRetries = 0
            configuration.resilience.totalDeadline = .seconds(30)
            configuration.debug = true
            configuration.requestLog = RequestLogConfiguration(file: nil, includesContent: true)
            configuration.audit = AuditConfiguration(store: audit)
            let now = TestNow(Date(timeIntervalSince1970: 1_800_000_000))
            configuration.keys.now = now.closure
            try await withLLMClient(configuration: configuration, logger: capture.logger()) { client in
                try await exercise(client, simulator: simulator, evidence: evidence, now: now)
                await client.auditLog?.flush()
            }
            // Positive control: the keys really were sent.
            let sent = simulator.requests.flatMap(\.headers).map(\.value).joined(separator: "\n")
            #expect(sent.contains(Self.openAIKey) && sent.contains(Self.anthropicKey) && sent.contains(Self.geminiKey))
        }
        let entries = try await audit.entries(since: nil, until: nil)
        #expect(entries.count > 20)
        evidence.append(entries.map { AuditChain.canonical(sequence: $0.sequence, event: $0.event) })
        evidence.append(AuditExport.json(entries))
        evidence.append(capture.all)
        #expect(capture.all.count > 20, "the request path logged")
        for canary in Self.canaries {
            let leaks = evidence.texts.filter { $0.contains(canary) || $0.contains(String(canary.suffix(16))) }
            #expect(leaks.isEmpty, "key \(canary.prefix(12))… leaked in: \(leaks.map { $0.prefix(300) })")
        }
    }

    /// Success, every error kind, streams and rotation, on all three keyed providers.
    /// After each step the key clock moves an hour, so rejected and resting keys serve again.
    func exercise(_ client: LLMClient, simulator: ProviderSimulator, evidence: Evidence, now: TestNow) async throws {
        let providers: [(ProviderID, SimulatedProvider)] = [
            (.openAI, .openAI), (.anthropic, .anthropic), (.gemini, .gemini),
        ]
        var failures: [SimulatedReply] = [400, 401, 403, 404, 413, 429, 500, 503, 529].map {
            .failure(status: $0, message: "echo \(Self.canaries.joined(separator: " ")) Bearer \(Self.openAIKey)")
        }
        failures += [
            SimulatedReply(text: "slow").with(.latency(.seconds(4))),
            SimulatedReply(text: "dropped").with(.dropConnection),
        ]
        let streamFaults: [SimulatedReply] = [
            SimulatedReply(text: "abcdefghijklmnop", chunkSize: 2).with(.malformedChunk(afterEvents: 2)),
            SimulatedReply(text: "abcdefghijklmnop", chunkSize: 2).with(.cutStream(afterEvents: 2)),
            SimulatedReply(text: "abcdefghijklmnop", chunkSize: 2).with(
                .inStreamError(afterEvents: 2, type: "server_error", message: "boom \(Self.openAIKey)")),
        ]
        for (provider, simulated) in providers {
            let request = ChatRequest(
                messages: [.user("say \(provider)")], provider: provider,
                metadata: RequestMetadata(feature: "canary", user: "ada", component: "tests"))
            simulator.enqueue(.text("fine"), for: simulated)
            do {
                evidence.append(String(reflecting: try await client.chat(request)))
            } catch {
                evidence.error(error)
            }
            for reply in failures {
                simulator.setDefaultReply(reply, for: simulated)
                do {
                    evidence.append(String(reflecting: try await client.chat(request)))
                } catch {
                    evidence.error(error)
                }
                now.advance(by: 3600)
            }
            for reply in failures + streamFaults + [.text("streamed fine")] {
                simulator.setDefaultReply(reply, for: simulated)
                do {
                    for try await event in try await client.stream(request) {
                        evidence.append(String(reflecting: event))
                    }
                } catch {
                    evidence.error(error)
                }
                now.advance(by: 3600)
            }
        }
        for (_, simulated) in providers { simulator.setDefaultReply(nil, for: simulated) }
        do {
            evidence.append(String(reflecting: try await client.models()))
        } catch {
            evidence.error(error)
        }
    }
}
