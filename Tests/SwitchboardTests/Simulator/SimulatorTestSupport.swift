import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Switchboard
import SwitchboardTesting
import Testing

/// A test gave up waiting.
struct TestTimeout: Error {}

/// Runs `operation`, failing with ``TestTimeout`` if it takes longer than `seconds`.
func withTimeout<T: Sendable>(
    seconds: Double = 10,
    _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            throw TestTimeout()
        }
        defer { group.cancelAll() }
        guard let result = try await group.next() else { throw TestTimeout() }
        return result
    }
}

/// Runs `body` with a started simulator and an HTTP client, and always shuts both down.
func withSimulatorAndClient<T: Sendable>(
    _ body: (ProviderSimulator, HTTPClient) async throws -> T
) async throws -> T {
    try await ProviderSimulator.withSimulator { simulator in
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(10))
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        do {
            let result = try await body(simulator, client)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}

/// A response with its body read completely.
struct CollectedResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as JSON; fails the test when it is not.
    var json: JSONValue {
        get throws { try JSONValue.parse(text) }
    }

    func header(_ name: String) -> String? { headers.first(name: name) }

    /// The body's SSE events.
    var events: [TestSSEEvent] { TestSSEEvent.parse(text) }
}

/// One server-sent event as a client sees it.
struct TestSSEEvent: Sendable, Equatable {
    var name: String?
    var data: String

    /// The data parsed as JSON, or `nil`.
    var json: JSONValue? { try? JSONValue.parse(data) }

    /// The events called `name` whose JSON `index` is `index`.
    static func select(_ events: [TestSSEEvent], named name: String, index: Int) -> [TestSSEEvent] {
        var selected: [TestSSEEvent] = []
        for event in events where event.name == name && event.json?["index"] == .integer(index) {
            selected.append(event)
        }
        return selected
    }

    /// Splits an SSE body into events (wire reference §1.6: `\n`, `\r\n` and `\r` all end lines).
    static func parse(_ text: String) -> [TestSSEEvent] {
        var events: [TestSSEEvent] = []
        var name: String?
        var data: [String] = []
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        for line in normalized.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty {
                if !data.isEmpty || name != nil {
                    events.append(TestSSEEvent(name: name, data: data.joined(separator: "\n")))
                }
                name = nil
                data = []
            } else if line.hasPrefix("event:") {
                name = line.dropFirst("event:".count).trimmingCharacters(in: .whitespaces)
            } else if line.hasPrefix("data:") {
                var value = line.dropFirst("data:".count)
                if value.first == " " { value = value.dropFirst() }
                data.append(String(value))
            }
        }
        return events
    }
}

/// Request headers for `provider` with a key (and Anthropic's version header).
func authHeaders(_ provider: SimulatedProvider, key: String = "sk-test-key-123456") -> [(String, String)] {
    switch provider {
    case .openAI: [("authorization", "Bearer \(key)")]
    case .anthropic: [("x-api-key", key), ("anthropic-version", "2023-06-01")]
    case .gemini: [("x-goog-api-key", key)]
    case .ollama: []
    }
}

/// Builds a request to `path` under the provider's base URL.
func makeRequest(
    _ simulator: ProviderSimulator,
    _ provider: SimulatedProvider,
    _ path: String,
    method: HTTPMethod = .POST,
    body: String? = nil,
    headers: [(String, String)]? = nil
) -> HTTPClientRequest {
    var request = HTTPClientRequest(url: simulator.baseURL(for: provider) + path)
    request.method = method
    for (name, value) in headers ?? authHeaders(provider) { request.headers.add(name: name, value: value) }
    if let body {
        request.headers.add(name: "content-type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
    }
    return request
}

/// Sends a request and reads the whole body.
func send(
    _ client: HTTPClient,
    _ simulator: ProviderSimulator,
    _ provider: SimulatedProvider,
    _ path: String,
    method: HTTPMethod = .POST,
    body: String? = nil,
    headers: [(String, String)]? = nil
) async throws -> CollectedResponse {
    let request = makeRequest(simulator, provider, path, method: method, body: body, headers: headers)
    let response = try await client.execute(request, timeout: .seconds(10))
    let buffer = try await response.body.collect(upTo: 8 << 20)
    return CollectedResponse(
        status: Int(response.status.code), headers: response.headers, body: Array(buffer.readableBytesView))
}

/// Sends a request and reads the body until the server ends it or fails; returns what arrived and the failure.
func sendCollectingPartial(
    _ client: HTTPClient,
    _ simulator: ProviderSimulator,
    _ provider: SimulatedProvider,
    _ path: String,
    body: String
) async throws -> (response: CollectedResponse, error: (any Error)?) {
    let request = makeRequest(simulator, provider, path, body: body)
    let response = try await client.execute(request, timeout: .seconds(10))
    var bytes: [UInt8] = []
    var failure: (any Error)?
    do {
        for try await buffer in response.body { bytes += buffer.readableBytesView }
    } catch {
        failure = error
    }
    return (CollectedResponse(status: Int(response.status.code), headers: response.headers, body: bytes), failure)
}

/// A minimal chat body for `provider` (Gemini streams by path, see ``chatPath(_:stream:)``; Ollama
/// gets an explicit `stream`, as it streams by default).
func chatBody(
    _ provider: SimulatedProvider, text: String = "Hello there", stream: Bool = false, includeUsage: Bool? = nil
)
    -> String
{
    if provider == .gemini {
        let object: JSONValue = ["contents": [["role": "user", "parts": [["text": .string(text)]]]]]
        return object.jsonString()
    }
    let model: JSONValue =
        switch provider {
        case .openAI: "gpt-4o"
        case .anthropic: "claude-sonnet-4-20250514"
        case .gemini: "gemini-2.5-flash"
        case .ollama: "llama3.2"
        }
    var object: [String: JSONValue] = [
        "model": model,
        "messages": [["role": "user", "content": .string(text)]],
    ]
    if provider == .anthropic { object["max_tokens"] = 256 }
    if stream || provider == .ollama { object["stream"] = .bool(stream) }
    if let includeUsage { object["stream_options"] = ["include_usage": .bool(includeUsage)] }
    return JSONValue.object(object).jsonString()
}

/// The chat path of `provider`, relative to its base URL (Gemini's differs for streaming).
func chatPath(_ provider: SimulatedProvider, stream: Bool = false) -> String {
    switch provider {
    case .openAI: "/chat/completions"
    case .anthropic: "/v1/messages"
    case .gemini:
        stream
            ? "/models/gemini-2.5-flash:streamGenerateContent?alt=sse" : "/models/gemini-2.5-flash:generateContent"
    case .ollama: "/api/chat"
    }
}

extension JSONValue {
    /// The element at `index` of an array, else `nil`.
    subscript(index: Int) -> JSONValue? {
        guard case .array(let items) = self, items.indices.contains(index) else { return nil }
        return items[index]
    }
}

/// Reads a streamed response body piece by piece, as a client would (the client's read timeout
/// bounds every wait).
struct IncrementalBody {
    private var iterator: HTTPClientResponse.Body.AsyncIterator
    /// Every byte received so far.
    private(set) var received: [UInt8] = []
    /// Whether the body has ended.
    private(set) var ended = false

    init(_ response: HTTPClientResponse) {
        iterator = response.body.makeAsyncIterator()
    }

    var text: String { String(decoding: received, as: UTF8.self) }

    /// Complete `\n`-terminated lines received so far.
    var lines: [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.removeLast()  // the unterminated remainder
        return lines
    }

    /// Reads until `condition` holds for what arrived, or the body ends; returns whether it holds.
    mutating func read(until condition: (IncrementalBody) -> Bool) async throws -> Bool {
        while !condition(self) {
            guard let buffer = try await iterator.next() else {
                ended = true
                return condition(self)
            }
            received += buffer.readableBytesView
        }
        return true
    }

    /// Reads to the end of the body.
    mutating func readToEnd() async throws {
        while let buffer = try await iterator.next() { received += buffer.readableBytesView }
        ended = true
    }

    /// The complete lines parsed as JSON (a line that is not JSON fails the test).
    func jsonLines() throws -> [JSONValue] {
        try lines.map { try JSONValue.parse($0) }
    }
}
