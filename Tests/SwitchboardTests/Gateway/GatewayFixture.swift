import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Switchboard
import SwitchboardGateway
import SwitchboardTesting

/// A gateway on loopback in front of the simulator, and an HTTP client to call it.
struct GatewayHarness: Sendable {
    let baseURL: String
    let simulator: ProviderSimulator
    let client: LLMClient
    let gateway: Gateway
    let http: HTTPClient

    struct Reply: Sendable {
        var status: Int
        var headers: [(String, String)]
        var body: String

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }

        var json: JSONValue? { try? JSONValue.parse(body) }
    }

    /// Sends a request and reads the whole reply.
    func send(
        _ method: HTTPMethod, _ path: String, json: JSONValue? = nil, body: String? = nil,
        headers: [(String, String)] = [("authorization", "Bearer \(gatewayTestKey)")]
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let text = body ?? json?.jsonString() {
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: text))
        }
        let response = try await http.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 16 * 1024 * 1024)
        return Reply(
            status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
            body: String(buffer: bytes))
    }

    /// Sends a request and returns the reply head and its body's chunks as they arrive.
    func open(
        _ path: String, json: JSONValue, headers: [(String, String)] = [("authorization", "Bearer \(gatewayTestKey)")],
        using client: HTTPClient? = nil
    ) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.headers.add(name: "content-type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: json.jsonString()))
        return try await (client ?? http).execute(request, timeout: .seconds(30))
    }
}

let gatewayTestKey = "sbk-test-gateway-key-0123456789"

/// Runs `body` with a gateway on a free loopback port in front of the simulator, with one virtual key
/// (``gatewayTestKey``) unless `keys` says otherwise; shuts everything down afterwards.
func withGateway<T: Sendable>(
    configuration: GatewayConfiguration = GatewayConfiguration(port: 0),
    keys: [VirtualKey]? = nil,
    adminKey: String? = nil,
    stages: [any ChatMiddleware] = [],
    configure: (inout SwitchboardConfiguration) -> Void = { _ in },
    _ body: (GatewayHarness) async throws -> T
) async throws -> T {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    let store = GatewayKeyStore(path: directory.path + "/keys.json")
    let stored =
        keys ?? [
            VirtualKey(
                id: "vk_test", name: "tests", secretHash: sha256Hex(gatewayTestKey), displayPrefix: "sbk-test",
                feature: "gateway-tests", createdAt: Date(timeIntervalSince1970: 0))
        ]
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .iso8601
    try directory.write("keys.json", String(decoding: try encoder.encode(stored), as: UTF8.self))
    var logger = Logger(label: "gateway-tests")
    logger.logLevel = .warning
    return try await withSimulatedClient(logger: logger, stages: stages, configure: configure) { client, simulator in
        let gateway = Gateway(
            client: client, configuration: configuration,
            authenticator: GatewayAuthenticator(store: store, adminKey: adminKey), logger: logger,
            now: { Date(timeIntervalSince1970: 1_750_000_000) })
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = gateway.makeApplication { channel in
            continuation.yield(channel.localAddress?.port ?? 0)
            continuation.finish()
        }
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var port = 0
            for await value in ports { port = value }
            let harness = GatewayHarness(
                baseURL: "http://127.0.0.1:\(port)", simulator: simulator, client: client, gateway: gateway, http: http)
            let result: T
            do {
                result = try await body(harness)
            } catch {
                await group.triggerGracefulShutdown()
                try? await http.shutdown()
                try? await tasks.waitForAll()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await http.shutdown()
            try await tasks.waitForAll()
            return result
        }
    }
}

/// Lowercase hex SHA-256, as the key store keeps secrets.
func sha256Hex(_ text: String) -> String {
    GatewayKeyStore.hash(text)
}

/// The `data:` JSON objects of a server-sent event stream, with `[DONE]` as a string.
func serverSentEvents(_ text: String) -> [(event: String?, data: String)] {
    text.components(separatedBy: "\n\n").filter { !$0.isEmpty }.map { block in
        var event: String?
        var data: [String] = []
        for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("event: ") { event = String(line.dropFirst(7)) }
            if line.hasPrefix("data: ") { data.append(String(line.dropFirst(6))) }
        }
        return (event, data.joined(separator: "\n"))
    }
}
