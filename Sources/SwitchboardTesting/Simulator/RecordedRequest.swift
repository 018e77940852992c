import Foundation
import Switchboard

/// One HTTP request the simulator received, recorded before it was answered.
public struct RecordedRequest: Sendable {
    /// The provider whose path prefix the request used; `nil` for paths under neither prefix.
    public var provider: SimulatedProvider?
    /// The HTTP method, e.g. `POST`.
    public var method: String
    /// The request target as received, prefix and query included (e.g. `/openai/v1/models?limit=2`).
    public var path: String
    /// The request headers in the order received.
    public var headers: [(name: String, value: String)]
    /// The request body.
    public var body: [UInt8]

    /// Creates a recorded request.
    public init(
        provider: SimulatedProvider?,
        method: String,
        path: String,
        headers: [(name: String, value: String)],
        body: [UInt8]
    ) {
        self.provider = provider
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
    }

    /// The first value of the header `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The body as UTF-8 text.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The body parsed as JSON, or `nil` when it is empty or not JSON.
    public var json: JSONValue? {
        guard !body.isEmpty else { return nil }
        return try? JSONDecoder().decode(JSONValue.self, from: Data(body))
    }

    /// The path without the query.
    public var pathWithoutQuery: String {
        path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? path
    }
}
