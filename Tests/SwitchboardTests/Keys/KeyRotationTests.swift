import Foundation
import Logging
import Switchboard
import SwitchboardTesting
import Synchronization
import Testing

/// Rotation over real loopback HTTP against the simulator: 401 and 429 move to the next key, the
/// store reloads without a restart, scopes deny before anything is sent.
@Suite(.timeLimit(.minutes(2))) struct KeyRotationTests {
    static let keyA = "sk-rotation-aaaa-0123456789abcdef"
    static let keyB = "sk-rotation-bbbb-0123456789abcdef"

    static func managed(_ name: String, _ secret: String, scope: KeyScope = .unrestricted) -> ManagedKey {
        ManagedKey(name: name, provider: .openAI, secret: APIKey(secret), scope: scope)
    }

    /// A client whose OpenAI provider has keys `a` and `b` on the simulator.
    func withTwoKeyClient<T: Sendable>(
        selection: KeySelectionStrategy = .roundRobin,
        keys: [ManagedKey] = [managed("a", keyA), managed("b", keyB)],
        now: TestNow = TestNow(Date(timeIntervalSince1970: 1_800_000_000)),
        events: KeyEventRecorder? = nil,
        audit: InMemoryAuditStore = InMemoryAuditStore(),
        ledger: InMemoryUsageStore? = nil,
        _ body: (LLMClient, ProviderSimulator) async throws -> T
    ) async throws -> T {
        try await ProviderSimulator.withSimulator { simulator in
            var provider = ProviderConfiguration(id: .openAI, kind: .openAI, baseURL: simulator.baseURL(for: .openAI))
            provider.keys = keys
            var configuration = SwitchboardConfiguration(providers: [provider])
            configuration.resilience.retry.maxRetries = 0
            configuration.keys.selection = selection
            configuration.keys.now = now.closure
            configuration.keys.onEvent = { event in events?.record(event) }
            configuration.audit = AuditConfiguration(store: audit)
            configuration.usage.store = ledger
            return try await withLLMClient(configuration: configuration) { client in try await body(client, simulator) }
        }
    }

    func keysUsed(_ simulator: ProviderSimulator) -> [String] {
        simulator.requests(for: .openAI).compactMap { $0.header("authorization") }.map {
            $0 == "Bearer \(Self.keyA)" ? "a" : $0 == "Bearer \(Self.keyB)" ? "b" : "?"
        }
    }

    @Test func unauthorizedKeyIsMarkedInvalidAlertedAndTheNextKeyUsed() async throws {
        let events = KeyEventRecorder()
        let audit = InMemoryAuditStore()
        try await withTwoKeyClient(events: events, audit: audit) { client, simulator in
            simulator.enqueue(.failure(status: 401, code: "invalid_api_key"), for: .openAI)
            simulator.enqueue(.text("first"), for: .openAI)
            simulator.setDefaultReply(.text("later"), for: .openAI)
            let answer = try await client.chat(ChatRequest(messages: [.user("hi")]))
            #expect(answer.text == "first")
            #expect(keysUsed(simulator) == ["a", "b"])
            for _ in 0..<3 { _ = try await client.chat(ChatRequest(messages: [.user("again")])) }
            #expect(keysUsed(simulator) == ["a", "b", "b", "b", "b"], "the rejected key is not used again")
            let pool = try #require(client.keyPools[.openAI])
            #expect(pool.invalidFingerprints == [Fingerprint.of(Self.keyA)])
            await client.auditLog?.flush()
        }
        let alerts = events.all
        #expect(alerts.map(\.kind) == [.invalidated])
        #expect(alerts.first?.keyName == "a")
        let actions = try await audit.entries(since: nil, until: nil).map(\.event)
        #expect(actions.contains { $0.action == .keyInvalidated && $0.keyFingerprint == Fingerprint.of(Self.keyA) })
        #expect(actions.filter { $0.action == .keyUsed && $0.outcome == "authentication" }.count == 1)
    }

    @Test func ledgerRowsNameTheKeyEachRequestReallyUsed() async throws {
        let ledger = InMemoryUsageStore()
        try await withTwoKeyClient(ledger: ledger) { client, simulator in
            simulator.setDefaultReply(.text("ok"), for: .openAI)
            for _ in 0..<3 { _ = try await client.chat(ChatRequest(messages: [.user("hi")])) }
            simulator.enqueue(.failure(status: 401, code: "invalid_api_key"), for: .openAI)
            _ = try await client.chat(ChatRequest(messages: [.user("after a rejection")]))
            #expect(keysUsed(simulator) == ["a", "b", "a", "b", "a"])
        }
        let rows = await ledger.records(since: nil, until: nil)
        let a = Fingerprint.of(Self.keyA)
        let b = Fingerprint.of(Self.keyB)
        // The fourth request's b was rejected; the pool answered it with a, and its row says so.
        #expect(rows.map(\.keyFingerprint) == [a, b, a, a])
    }

    @Test func everyKeyRejectedIsAnAuthenticationError() async throws {
        try await withTwoKeyClient { client, simulator in
            simulator.setDefaultReply(.failure(status: 401), for: .openAI)
            await #expect {
                try await client.chat(ChatRequest(messages: [.user("hi")]))
            } throws: { error in
                (error as? ProviderError)?.kind == .authentication
            }
            #expect(keysUsed(simulator) == ["a", "b"])
        }
    }

    @Test func rateLimitedKeyRestsUntilItsResetWhileAnotherServes() async throws {
        let now = TestNow(Date(timeIntervalSince1970: 1_800_000_000))
        let events = KeyEventRecorder()
        try await withTwoKeyClient(now: now, events: events) { client, simulator in
            simulator.enqueue(.failure(status: 429, retryAfter: .seconds(30)), for: .openAI)
            simulator.setDefaultReply(.text("ok"), for: .openAI)
            #expect(try await client.chat(ChatRequest(messages: [.user("1")])).text == "ok")
            #expect(keysUsed(simulator) == ["a", "b"])
            _ = try await client.chat(ChatRequest(messages: [.user("2")]))
            _ = try await client.chat(ChatRequest(messages: [.user("3")]))
            #expect(keysUsed(simulator) == ["a", "b", "b", "b"], "a rests for 30 s")
            now.advance(by: 30)
            _ = try await client.chat(ChatRequest(messages: [.user("4")]))
            _ = try await client.chat(ChatRequest(messages: [.user("5")]))
            #expect(Set(keysUsed(simulator).suffix(2)) == ["a", "b"], "after the reset both keys serve again")
        }
        let rested = try #require(events.all.first)
        #expect(rested.kind == .rateLimited)
        #expect(rested.until == Date(timeIntervalSince1970: 1_800_000_030))
    }

    @Test func streamsRotateToo() async throws {
        try await withTwoKeyClient { client, simulator in
            simulator.enqueue(.failure(status: 401), for: .openAI)
            simulator.enqueue(.text("streamed"), for: .openAI)
            var text = ""
            for try await event in try await client.stream(ChatRequest(messages: [.user("hi")])) {
                if case .textDelta(let delta) = event { text += delta }
            }
            #expect(text == "streamed")
            #expect(keysUsed(simulator) == ["a", "b"])
        }
    }

    @Test func scopedKeysDenyOtherComponentsBeforeSending() async throws {
        let audit = InMemoryAuditStore()
        let keys = [
            Self.managed("a", Self.keyA, scope: KeyScope(components: ["billing"])),
            Self.managed("b", Self.keyB, scope: KeyScope(components: ["search"], models: ["gpt-4o-mini"])),
        ]
        try await withTwoKeyClient(keys: keys, audit: audit) { client, simulator in
            simulator.setDefaultReply(.text("ok"), for: .openAI)
            _ = try await client.chat(
                ChatRequest(messages: [.user("hi")], metadata: RequestMetadata(component: "billing")))
            _ = try await client.chat(
                ChatRequest(
                    messages: [.user("hi")], model: "gpt-4o-mini", metadata: RequestMetadata(component: "search")))
            #expect(keysUsed(simulator) == ["a", "b"])
            for metadata in [RequestMetadata(component: "chat"), RequestMetadata()] {
                await #expect {
                    try await client.chat(ChatRequest(messages: [.user("hi")], metadata: metadata))
                } throws: { error in
                    (error as? ProviderError)?.kind == .accessDenied
                }
            }
            await #expect {
                try await client.chat(
                    ChatRequest(
                        messages: [.user("hi")], model: "gpt-4o", metadata: RequestMetadata(component: "search")))
            } throws: { error in
                (error as? ProviderError)?.kind == .accessDenied
            }
            #expect(simulator.requests(for: .openAI).count == 2, "a denied request sends nothing")
            await client.auditLog?.flush()
        }
        let denied = try await audit.entries(since: nil, until: nil).filter { $0.event.action == .accessDenied }
        #expect(denied.map(\.event.component) == ["chat", nil, "search"])
    }

    @Test func storeBackedKeysReloadWithoutARestart() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let master = try MasterSecret("a master secret of at least thirty-two bytes")
        let store = EncryptedKeyStore(path: home.path + "/keys.store", masterSecret: master)
        try store.add(Self.managed("a", Self.keyA))
        try await ProviderSimulator.withSimulator { simulator in
            var configuration = SwitchboardConfiguration(
                providers: [
                    ProviderConfiguration(id: .openAI, kind: .openAI, baseURL: simulator.baseURL(for: .openAI))
                ],
                dataDirectory: home.path)
            configuration.keys.masterSecret = master
            configuration.resilience.retry.maxRetries = 0
            simulator.setDefaultReply(.text("ok"), for: .openAI)
            try await withLLMClient(configuration: configuration) { client in
                _ = try await client.chat(ChatRequest(messages: [.user("1")]))
                try store.rotate(
                    name: "a", provider: .openAI, newSecret: APIKey(Self.keyB), at: Date(timeIntervalSince1970: 0),
                    overlap: .zero, now: Date())
                #expect(try client.reloadKeys() == [.openAI])
                _ = try await client.chat(ChatRequest(messages: [.user("2")]))
            }
            #expect(keysUsed(simulator) == ["a", "b"])
        }
    }

    @Test func storeChangesArePickedUpWithoutBeingAsked() async throws {
        let home = try TemporaryDirectory()
        defer { home.remove() }
        let master = try MasterSecret("a master secret of at least thirty-two bytes")
        let store = EncryptedKeyStore(path: home.path + "/keys.store", masterSecret: master)
        try store.add(Self.managed("a", Self.keyA))
        let now = TestNow(Date(timeIntervalSince1970: 1_800_000_000))
        try await ProviderSimulator.withSimulator { simulator in
            var configuration = SwitchboardConfiguration(
                providers: [
                    ProviderConfiguration(id: .openAI, kind: .openAI, baseURL: simulator.baseURL(for: .openAI))
                ],
                dataDirectory: home.path)
            configuration.keys.masterSecret = master
            configuration.keys.now = now.closure
            configuration.keys.reloadInterval = .seconds(10)
            configuration.resilience.retry.maxRetries = 0
            simulator.setDefaultReply(.text("ok"), for: .openAI)
            try await withLLMClient(configuration: configuration) { client in
                _ = try await client.chat(ChatRequest(messages: [.user("1")]))
                try store.remove(name: "a", provider: .openAI)
                try store.add(Self.managed("b", Self.keyB))
                _ = try await client.chat(ChatRequest(messages: [.user("2")]))
                now.advance(by: 10)
                _ = try await client.chat(ChatRequest(messages: [.user("3")]))
            }
            #expect(keysUsed(simulator) == ["a", "a", "b"], "checked again once the reload interval passed")
        }
    }
}

/// Keeps every key alert a pool raised.
final class KeyEventRecorder: Sendable {
    private let events = Mutex<[KeyPoolEvent]>([])

    var all: [KeyPoolEvent] { events.withLock { $0 } }

    func record(_ event: KeyPoolEvent) { events.withLock { $0.append(event) } }
}
