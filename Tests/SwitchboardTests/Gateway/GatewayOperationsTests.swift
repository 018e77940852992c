import AsyncHTTPClient
import Foundation
import NIOCore
import Switchboard
import SwitchboardGateway
import SwitchboardTesting
import Synchronization
import Testing

/// Records the metadata of every request that reaches the pipeline.
final class MetadataRecorder: ChatMiddleware {
    let seen = Mutex<[RequestMetadata]>([])

    func complete(_ request: ChatRequest, context: RequestContext, next: ChatHandler) async throws -> ChatResponse {
        seen.withLock { $0.append(request.metadata) }
        return try await next(request, context)
    }
}

@Suite("Gateway: operations")
struct GatewayOperationsTests {
    static let chat: JSONValue = [
        "model": "gpt-4o-mini", "stream": true, "messages": [["role": "user", "content": "Tell a long story"]],
    ]

    @Test func clientDisconnectCancelsTheUpstreamStream() async throws {
        try await withGateway { gateway in
            var reply = SimulatedReply.text(String(repeating: "more ", count: 400))
            reply.chunkSize = 5
            gateway.simulator.enqueue(reply.with(.eventInterval(.milliseconds(20))), for: .openAI)
            let http = HTTPClient(eventLoopGroupProvider: .singleton)
            let reader = Task {
                let response = try await gateway.open("/v1/chat/completions", json: Self.chat, using: http)
                var body = IncrementalBody(response)
                return try await body.read { $0.text.contains("more") }
            }
            #expect(try await reader.value)
            // Shutting the client down closes its connection mid-stream; the gateway must then cancel upstream.
            try await http.shutdown()
            await gateway.simulator.waitForClientDisconnects(1)
            #expect(gateway.simulator.clientDisconnects >= 1)
        }
    }

    @Test func requestsPastTheConcurrencyLimitGet429InTheCallersFormat() async throws {
        try await withGateway(configuration: .init(port: 0, maxConcurrentRequests: 1)) { gateway in
            let gate = SimulatorGate()
            gateway.simulator.enqueue(SimulatedReply.text("held answer").with(.holdAfterEvents(0, gate)), for: .openAI)
            let held = Task {
                try await gateway.send(
                    .POST, "/v1/chat/completions",
                    json: ["model": "gpt-4o-mini", "messages": [["role": "user", "content": "x"]]])
            }
            while gateway.gateway.requestsInFlight == 0 { await Task.yield() }
            let refused = try await gateway.send(
                .POST, "/v1/messages",
                json: [
                    "model": "claude-sonnet-4-20250514", "max_tokens": 5,
                    "messages": [["role": "user", "content": "x"]],
                ],
                headers: [("x-api-key", gatewayTestKey)])
            #expect(refused.status == 429)
            #expect(refused.json?["error"]?["type"] == "rate_limit_error")
            #expect(refused.header("retry-after") == "1")
            gate.open()
            #expect(try await held.value.status == 200)
        }
    }

    @Test func healthAndReadiness() async throws {
        try await withGateway { gateway in
            let health = try await gateway.send(.GET, "/health", headers: [])
            #expect(health.status == 200)
            #expect(health.json?["status"] == "ok")
            let ready = try await gateway.send(.GET, "/ready", headers: [])
            #expect(ready.status == 200)
            #expect(ready.json?["status"] == "ready")
        }
    }

    @Test func keyIdentityGoesIntoTheRequestMetadata() async throws {
        let recorder = MetadataRecorder()
        let key = VirtualKey(
            id: "vk_team", name: "search-team", secretHash: sha256Hex("sbk-team-secret"), displayPrefix: "sbk-team",
            feature: "search", user: "alice", requestsPerMinute: 60, createdAt: Date(timeIntervalSince1970: 0))
        try await withGateway(keys: [key], stages: [recorder]) { gateway in
            gateway.simulator.enqueue(.text("ok"), for: .openAI)
            let reply = try await gateway.send(
                .POST, "/v1/chat/completions",
                json: ["model": "gpt-4o-mini", "user": "bob", "messages": [["role": "user", "content": "x"]]],
                headers: [("authorization", "Bearer sbk-team-secret")])
            #expect(reply.status == 200)
        }
        let metadata = try #require(recorder.seen.withLock { $0.first })
        #expect(metadata.feature == "search")
        #expect(metadata.user == "alice")
        #expect(metadata.component == "search-team")
        #expect(metadata.tags["gateway.key"] == "vk_team")
        #expect(metadata.tags["gateway.rpm"] == "60")
    }

    @Test func aKeyOverItsBudgetGets429AndReachesNoProvider() async throws {
        // $0.001 a month; gpt-4o-mini output costs $0.60 per million tokens.
        let budgeted = VirtualKey(
            id: "vk_budget", name: "budgeted", secretHash: sha256Hex("sbk-budgeted"), displayPrefix: "sbk-budg",
            budgetMicrodollars: 1000, createdAt: Date(timeIntervalSince1970: 0))
        let free = VirtualKey(
            id: "vk_free", name: "free", secretHash: sha256Hex("sbk-free"), displayPrefix: "sbk-free",
            createdAt: Date(timeIntervalSince1970: 0))
        try await withGateway(keys: [budgeted, free]) { gateway in
            let chat: JSONValue = [
                "model": "gpt-4o-mini", "max_tokens": 1000, "user": "someone-else",
                "messages": [["role": "user", "content": "x"]],
            ]
            let auth = [("authorization", "Bearer sbk-budgeted")]
            // Worst case $0.0006 fits; the answer spends $0.0006 of the $0.001.
            gateway.simulator.enqueue(
                .text("ok", usage: SimulatedUsage(inputTokens: 1, outputTokens: 1000)), for: .openAI)
            #expect(try await gateway.send(.POST, "/v1/chat/completions", json: chat, headers: auth).status == 200)
            // Another $0.0006 worst case would pass the limit: refused before any provider is asked.
            let refused = try await gateway.send(.POST, "/v1/chat/completions", json: chat, headers: auth)
            #expect(refused.status == 429)
            #expect(refused.json?["error"]?["code"] == "budget_exceeded")
            #expect(refused.json?["error"]?["message"]?.stringValue?.contains("gateway key vk_budget") == true)
            #expect(refused.header("retry-after") == nil)
            let anthropic = try await gateway.send(
                .POST, "/v1/messages",
                json: [
                    "model": "claude-haiku-4-5", "max_tokens": 1000, "messages": [["role": "user", "content": "x"]],
                ],
                headers: [("x-api-key", "sbk-budgeted"), ("anthropic-version", "2023-06-01")])
            #expect(anthropic.status == 429)
            #expect(gateway.simulator.requests(for: .openAI).count == 1)
            #expect(gateway.simulator.requests(for: .anthropic).isEmpty)
            // Streams are held to it too, and another key is not.
            var stream = chat
            if case .object(var members) = stream {
                members["stream"] = true
                stream = .object(members)
            }
            #expect(try await gateway.send(.POST, "/v1/chat/completions", json: stream, headers: auth).status == 429)
            gateway.simulator.enqueue(.text("ok"), for: .openAI)
            let other = try await gateway.send(
                .POST, "/v1/chat/completions", json: chat, headers: [("authorization", "Bearer sbk-free")])
            #expect(other.status == 200)
            let status = try #require(
                gateway.client.budgets.statuses().first { $0.budget.name == "gateway key vk_budget" })
            #expect(status.budget.scope == .component("budgeted"))
            #expect(status.spent == Money(dollars: Decimal(string: "0.00060015")!))
        }
    }

    @Test func responsesSayTheConnectivityMode() async throws {
        try await withGateway { gateway in
            // Anthropic and Gemini are external; the simulated OpenAI and Ollama run on loopback and count as local.
            let chat: JSONValue = [
                "model": "claude-haiku-4-5", "max_tokens": 10, "messages": [["role": "user", "content": "x"]],
            ]
            let headers = [("x-api-key", gatewayTestKey), ("anthropic-version", "2023-06-01")]
            gateway.simulator.enqueue(.text("ok"), for: .anthropic)
            let online = try await gateway.send(.POST, "/v1/messages", json: chat, headers: headers)
            #expect(online.status == 200)
            #expect(online.header("x-switchboard-connectivity") == "online")
            await gateway.simulator.stop()
            var replies: [GatewayHarness.Reply] = []
            for _ in 0..<3 {
                replies.append(try await gateway.send(.POST, "/v1/messages", json: chat, headers: headers))
            }
            try await gateway.simulator.restart()
            // Two network failures make Anthropic unreachable; Gemini is still untried, so the mode is degraded
            // and a request pinned to Anthropic is refused as offline without being sent.
            let last = try #require(replies.last)
            #expect(last.status == 503)
            #expect(last.json?["error"]?["type"] == "api_error")
            #expect(last.json?["error"]?["message"]?.stringValue?.contains("cannot be reached") == true)
            #expect(last.header("x-switchboard-connectivity") == "degraded")
            let health = try await gateway.send(.GET, "/health")
            #expect(health.header("x-switchboard-connectivity") == "degraded")
        }
    }

    @Test func aKeyOverItsRequestsPerMinuteGets429InTheCallersFormat() async throws {
        let limited = VirtualKey(
            id: "vk_rpm", name: "limited", secretHash: sha256Hex("sbk-limited"), displayPrefix: "sbk-limi",
            requestsPerMinute: 2, createdAt: Date(timeIntervalSince1970: 0))
        let free = VirtualKey(
            id: "vk_free", name: "free", secretHash: sha256Hex("sbk-free"), displayPrefix: "sbk-free",
            createdAt: Date(timeIntervalSince1970: 0))
        try await withGateway(keys: [limited, free]) { gateway in
            let chat: JSONValue = ["model": "gpt-4o-mini", "messages": [["role": "user", "content": "x"]]]
            let limitedAuth = [("authorization", "Bearer sbk-limited")]
            for _ in 0..<2 {
                gateway.simulator.enqueue(.text("ok"), for: .openAI)
                let reply = try await gateway.send(.POST, "/v1/chat/completions", json: chat, headers: limitedAuth)
                #expect(reply.status == 200)
            }
            let refused = try await gateway.send(.POST, "/v1/chat/completions", json: chat, headers: limitedAuth)
            #expect(refused.status == 429)
            #expect(refused.json?["error"]?["code"] == "rate_limit_exceeded")
            #expect(refused.header("retry-after") == "30")
            let anthropic = try await gateway.send(
                .POST, "/v1/messages",
                json: ["model": "claude-haiku-4-5", "max_tokens": 10, "messages": [["role": "user", "content": "x"]]],
                headers: [("x-api-key", "sbk-limited"), ("anthropic-version", "2023-06-01")])
            #expect(anthropic.status == 429)
            #expect(anthropic.json?["error"]?["type"] == "rate_limit_error")
            // The refused requests never reached a provider; another key is not held back.
            #expect(gateway.simulator.requests(for: .openAI).count == 2)
            #expect(gateway.simulator.requests(for: .anthropic).isEmpty)
            gateway.simulator.enqueue(.text("ok"), for: .openAI)
            let other = try await gateway.send(
                .POST, "/v1/chat/completions", json: chat, headers: [("authorization", "Bearer sbk-free")])
            #expect(other.status == 200)
        }
    }

    @Test func keysLimitedToModelsGet403ForOthers() async throws {
        let key = VirtualKey(
            id: "vk_small", name: "small", secretHash: sha256Hex("sbk-small"), displayPrefix: "sbk-smal",
            allowedModels: ["gpt-4o-mini*"], createdAt: Date(timeIntervalSince1970: 0))
        try await withGateway(keys: [key]) { gateway in
            gateway.simulator.enqueue(.text("ok"), for: .openAI)
            let auth = [("authorization", "Bearer sbk-small")]
            let allowed = try await gateway.send(
                .POST, "/v1/chat/completions",
                json: ["model": "gpt-4o-mini-2024-07-18", "messages": [["role": "user", "content": "x"]]], headers: auth
            )
            #expect(allowed.status == 200)
            let refused = try await gateway.send(
                .POST, "/v1/chat/completions",
                json: ["model": "gpt-4o", "messages": [["role": "user", "content": "x"]]],
                headers: auth)
            #expect(refused.status == 403)
            #expect(refused.json?["error"]?["code"] == "model_not_allowed")
        }
    }

    @Test func withoutKeysTheLoopbackGatewayIsOpenAndTheAdminKeyWorks() async throws {
        try await withGateway(keys: []) { gateway in
            gateway.simulator.enqueue(.text("ok"), for: .openAI)
            let reply = try await gateway.send(
                .POST, "/v1/chat/completions",
                json: ["model": "gpt-4o-mini", "messages": [["role": "user", "content": "x"]]],
                headers: [("authorization", "Bearer anything")])
            #expect(reply.status == 200)
        }
        try await withGateway(keys: [], adminKey: "admin-secret") { gateway in
            gateway.simulator.enqueue(.text("ok"), for: .openAI)
            let body: JSONValue = ["model": "gpt-4o-mini", "messages": [["role": "user", "content": "x"]]]
            let admin = try await gateway.send(
                .POST, "/v1/chat/completions", json: body, headers: [("authorization", "Bearer admin-secret")])
            #expect(admin.status == 200)
            let other = try await gateway.send(
                .POST, "/v1/chat/completions", json: body, headers: [("authorization", "Bearer anything")])
            #expect(other.status == 401)
        }
    }

    @Test func refusesToBindBeyondLoopbackWithoutKeys() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let switchboard = SwitchboardConfiguration(
            providers: [ProviderConfiguration(id: .ollama, kind: .ollama, baseURL: "http://127.0.0.1:9")],
            dataDirectory: directory.path)
        await #expect(throws: GatewayStartError.self) {
            try await GatewayServer.run(
                switchboard: switchboard, gateway: GatewayConfiguration(host: "0.0.0.0", port: 0), adminKey: nil,
                logger: .init(label: "test"))
        }
    }
}

@Suite("Gateway: keys and model resolution")
struct GatewayKeyStoreTests {
    @Test func createAuthenticateRevoke() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = GatewayKeyStore(path: directory.path + "/gateway/keys.json")
        var generator = SystemRandomNumberGenerator()
        let created = try store.create(
            name: "app", allowedModels: ["gpt-4o"], feature: "chat", now: Date(timeIntervalSince1970: 0),
            using: &generator)
        #expect(created.secret.hasPrefix("sbk-"))
        let file = try String(contentsOfFile: store.path, encoding: .utf8)
        #expect(!file.contains(created.secret))
        #expect(file.contains(GatewayKeyStore.hash(created.secret)))
        let permissions = try FileManager.default.attributesOfItem(atPath: store.path)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        #expect(try store.authenticate(created.secret)?.id == created.key.id)
        #expect(try store.authenticate(created.secret + "x") == nil)
        // Another process (the CLI) revokes it; this store notices the file changed.
        try GatewayKeyStore(path: store.path).revoke("app", now: Date(timeIntervalSince1970: 1))
        #expect(try store.authenticate(created.secret) == nil)
        #expect(try store.list().first?.isActive == false)
        #expect(throws: GatewayKeyStoreError.self) { try store.revoke("app", now: Date()) }
    }

    @Test func resolverPinsByFamilyPrefixAndFallsBackToOllama() {
        let resolver = ModelResolver(providers: [
            (ProviderID.openAI, .openAI), (.anthropic, .anthropic), (ProviderID("local"), .ollama),
        ])
        #expect(resolver.resolve("gpt-4o-mini") == ("gpt-4o-mini", .openAI))
        #expect(resolver.resolve("claude-3-5-haiku") == ("claude-3-5-haiku", .anthropic))
        #expect(resolver.resolve("anthropic/claude-x") == ("claude-x", .anthropic))
        #expect(resolver.resolve("llama3.2:latest") == ("llama3.2:latest", ProviderID("local")))
        #expect(resolver.resolve("auto") == (nil, nil))
        #expect(resolver.resolve(nil) == (nil, nil))
        let cloudOnly = ModelResolver(providers: [(ProviderID.openAI, .openAI)])
        #expect(cloudOnly.resolve("mistral") == ("mistral", nil))
    }
}
