import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1

/// The one HTTP client every provider of an ``LLMClient`` shares, with its deadlines.
///
/// Owns an AsyncHTTPClient `HTTPClient`; call ``shutdown()`` when done with it.
public final class HTTPTransport: Sendable {
    let client: HTTPClient
    public let configuration: TransportConfiguration

    public init(configuration: TransportConfiguration = .init()) {
        self.configuration = configuration
        var clientConfiguration = HTTPClient.Configuration()
        clientConfiguration.timeout = .init(
            connect: .init(configuration.connectTimeout),
            read: .init(configuration.idleTimeout)
        )
        clientConfiguration.decompression = .enabled(limit: .ratio(100))
        clientConfiguration.redirectConfiguration = .disallow
        // A refused or failed connection is reported at once; retrying is the pipeline's decision.
        clientConfiguration.connectionPool.retryConnectionEstablishment = false
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
    }

    /// Closes every connection. Requests still running fail.
    public func shutdown() async throws {
        try await client.shutdown()
    }

    /// Sends `request` and reads the whole body, all within the request deadline.
    func send(_ request: HTTPClientRequest, provider: ProviderID, logger: Logger) async throws -> BufferedResponse {
        let timeout = configuration.requestTimeout
        let limit = configuration.maximumResponseSize
        return try await Self.withDeadline(timeout, provider: provider) { [client] in
            do {
                let response = try await client.execute(request, timeout: .init(timeout), logger: logger)
                let body = try await response.body.collect(upTo: limit)
                return BufferedResponse(status: Int(response.status.code), headers: response.headers, body: body)
            } catch {
                throw TransportErrorMapping.map(error, provider: provider, streamStarted: false)
            }
        }
    }

    /// Sends `request` and returns once the response head arrived; the body streams after.
    func open(_ request: HTTPClientRequest, provider: ProviderID, logger: Logger) async throws -> HTTPClientResponse {
        do {
            return try await client.execute(request, timeout: .init(configuration.requestTimeout), logger: logger)
        } catch {
            throw TransportErrorMapping.map(error, provider: provider, streamStarted: false)
        }
    }

    private static func withDeadline<T: Sendable>(
        _ timeout: Duration,
        provider: ProviderID,
        _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw ProviderError(
                    kind: .timeout, provider: provider,
                    message: "no complete response within \(timeout.formattedSeconds)")
            }
            defer { group.cancelAll() }
            // The first child to finish wins; the other is cancelled.
            return try await group.next()!
        }
    }
}

/// A response whose body has been read whole.
struct BufferedResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: ByteBuffer

    var bodyText: String { String(buffer: body) }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
