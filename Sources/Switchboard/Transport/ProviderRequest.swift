import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// A request to a provider, sent whole with ``HTTPTransport/send(_:provider:logger:)`` or as a stream
/// with ``HTTPTransport/open(_:provider:logger:)``.
struct ProviderRequest: Sendable {
    var url: String
    var method: HTTPMethod
    var headers: HTTPHeaders
    var body: ByteBuffer?

    init(url: String, method: HTTPMethod = .GET, headers: HTTPHeaders = [:], body: ByteBuffer? = nil) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
    }

    /// The request for AsyncHTTPClient's streaming API.
    var streaming: HTTPClientRequest {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers = headers
        if let body { request.body = .bytes(body) }
        return request
    }
}
