import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import Tracing

/// The HTTP clients every provider of an ``LLMClient`` shares, with its deadlines.
///
/// Two AsyncHTTPClient clients on one event loop group: streams use one whose read timeout is the
/// idle deadline, so a stalled stream fails; whole-body requests use one without a read timeout,
/// so a long generation that sends nothing until it is done is bounded only by the request
/// deadline. Call ``shutdown()`` when done.
public final class HTTPTransport: Sendable {
    let streamingClient: HTTPClient
    let bufferedClient: HTTPClient
    public let configuration: TransportConfiguration

    /// - Parameter tracer: gets a client span per HTTP call, whose context goes out in the request's
    ///   headers (`traceparent` with a W3C propagator); `nil` turns HTTP spans off.
    public init(
        configuration: TransportConfiguration = .init(), tracer: (any Tracer)? = InstrumentationSystem.tracer
    ) {
        self.configuration = configuration
        var streaming = HTTPClient.Configuration()
        // AsyncHTTPClient fills in a span's attributes even for the no-op tracer; skip that work.
        streaming.tracing.tracer = tracer is NoOpTracer ? nil : tracer
        streaming.timeout = .init(connect: .init(configuration.connectTimeout), read: .init(configuration.idleTimeout))
        streaming.decompression = .enabled(limit: .ratio(100))
        streaming.redirectConfiguration = .disallow
        // A refused or failed connection is reported at once; retrying is the pipeline's decision.
        streaming.connectionPool.retryConnectionEstablishment = false
        // AsyncHTTPClient's default of 8 would queue the ninth concurrent call to a provider.
        streaming.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(
            1, configuration.maximumConnectionsPerHost)
        streaming.tlsConfiguration = Self.tlsConfiguration(caBundlePath: configuration.caBundlePath)
        var buffered = streaming
        buffered.timeout = .init(connect: .init(configuration.connectTimeout))
        self.streamingClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: streaming)
        self.bufferedClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: buffered)
    }

    /// Full certificate and host name verification, trusting the system's roots or only `caBundlePath`'s.
    static func tlsConfiguration(caBundlePath: String?) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .fullVerification
        if let caBundlePath { tls.trustRoots = .file(caBundlePath) }
        return tls
    }

    /// Closes every connection. Requests still running fail.
    public func shutdown() async throws {
        var firstError: (any Error)?
        do { try await streamingClient.shutdown() } catch { firstError = error }
        do { try await bufferedClient.shutdown() } catch { firstError = firstError ?? error }
        if let firstError { throw firstError }
    }

    /// Sends `request` and reads the whole body, all within the request deadline.
    func send(_ request: HTTPClientRequest, provider: ProviderID, logger: Logger) async throws -> BufferedResponse {
        let timeout = effectiveRequestTimeout
        let limit = configuration.maximumResponseSize
        return try await Self.withDeadline(timeout, provider: provider) { [bufferedClient] in
            do {
                let response = try await bufferedClient.execute(request, timeout: .init(timeout), logger: logger)
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
            return try await streamingClient.execute(
                request, timeout: .init(effectiveRequestTimeout), logger: logger)
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
