import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Tracing

/// The HTTP clients every provider of an ``LLMClient`` shares, with its deadlines.
///
/// Two AsyncHTTPClient clients (``EventLoopClients``): streams use one whose read timeout is the
/// idle deadline, so a stalled stream fails; whole-body requests use one without a read timeout, so
/// a long generation that sends nothing until it is done is bounded only by the request deadline.
/// A call made on one of NIO's shared event loops (a gateway request) uses a pair whose connections
/// all live on that loop, with an even share of the connection limit; any other caller uses one
/// pair over the whole group, which reuses any idle connection. Call ``shutdown()`` when done.
public final class HTTPTransport: Sendable {
    /// One pair per event loop, for callers running on it.
    private let loops: [EventLoopClients]
    /// One pair over the whole group, for every other caller.
    private let shared: EventLoopClients
    public let configuration: TransportConfiguration
    /// Spans whole-body calls itself: AsyncHTTPClient's delegate API starts its span outside the
    /// caller's task, so it would neither nest in the attempt's span nor send the trace context.
    private let tracer: (any Tracer)?

    /// - Parameter tracer: gets a client span per HTTP call, whose context goes out in the request's
    ///   headers (`traceparent` with a W3C propagator); `nil` turns HTTP spans off.
    public init(
        configuration: TransportConfiguration = .init(), tracer: (any Tracer)? = InstrumentationSystem.tracer
    ) {
        self.configuration = configuration
        let group = MultiThreadedEventLoopGroup.singleton
        let eventLoops = Array(group.makeIterator())
        var streaming = HTTPClient.Configuration()
        // AsyncHTTPClient fills in a span's attributes even for the no-op tracer; skip that work.
        self.tracer = activeTracer(tracer)
        streaming.tracing.tracer = self.tracer
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
        buffered.tracing.tracer = nil
        buffered.timeout = .init(connect: .init(configuration.connectTimeout))
        self.shared = EventLoopClients(group: group, streaming: streaming, buffered: buffered)
        let share = (configuration.maximumConnectionsPerHost + eventLoops.count - 1) / eventLoops.count
        streaming.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(1, share)
        buffered.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = max(1, share)
        self.loops = eventLoops.map { EventLoopClients(group: $0, streaming: streaming, buffered: buffered) }
    }

    /// The clients of the loop the caller runs on, else the shared ones.
    var clients: EventLoopClients {
        if let current = MultiThreadedEventLoopGroup.currentEventLoop {
            for clients in loops where clients.group === current { return clients }
        }
        return shared
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
        for clients in loops + [shared] {
            do { try await clients.shutdown() } catch { firstError = firstError ?? error }
        }
        if let firstError { throw firstError }
    }

    /// Closes every connection from a synchronous context, such as a failed initialiser.
    func syncShutdown() {
        for clients in loops + [shared] { clients.syncShutdown() }
    }

    /// Sends `request` and reads the whole body, all within the request deadline.
    ///
    /// AsyncHTTPClient's delegate API keeps one deadline over head and body, scheduled on the
    /// connection's event loop: no timer task per request next to it.
    func send(_ request: ProviderRequest, provider: ProviderID, logger: Logger) async throws -> BufferedResponse {
        guard let tracer else { return try await sendUntraced(request, provider: provider, logger: logger) }
        return try await tracer.withSpan(request.method.rawValue, ofKind: .client) { span in
            var request = request
            tracer.inject(span.context, into: &request.headers, using: HTTPHeadersInjector())
            span.attributes["http.request.method"] = request.method.rawValue
            if let url = URLComponents(string: request.url) {
                span.attributes["server.address"] = url.host
                span.attributes["server.port"] = url.port
                span.attributes["url.path"] = url.path
            }
            let response = try await sendUntraced(request, provider: provider, logger: logger)
            span.attributes["http.status_code"] = Int64(response.status)
            if response.status >= 400 { span.setStatus(SpanStatus(code: .error)) }
            return response
        }
    }

    private func sendUntraced(
        _ request: ProviderRequest, provider: ProviderID, logger: Logger
    ) async throws -> BufferedResponse {
        let timeout = effectiveRequestTimeout
        do {
            let clientRequest = try HTTPClient.Request(
                url: request.url, method: request.method, headers: request.headers,
                body: request.body.map { .byteBuffer($0) })
            let accumulator = ResponseAccumulator(
                request: clientRequest, maxBodySize: configuration.maximumResponseSize)
            let task = clients.buffered.execute(
                request: clientRequest, delegate: accumulator, deadline: .now() + TimeAmount(timeout), logger: logger)
            let response = try await withTaskCancellationHandler {
                try await task.futureResult.get()
            } onCancel: {
                task.cancel()
            }
            return BufferedResponse(
                status: Int(response.status.code), headers: response.headers, body: response.body ?? ByteBuffer())
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            throw ProviderError(
                kind: .timeout, provider: provider, message: "no complete response within \(timeout.formattedSeconds)")
        } catch is ResponseAccumulator.ResponseTooBigError {
            throw ProviderError(kind: .invalidResponse, provider: provider, message: "the response body is too large")
        } catch {
            throw TransportErrorMapping.map(error, provider: provider, streamStarted: false)
        }
    }

    /// Sends `request` and returns once the response head arrived; the body streams after.
    func open(_ request: ProviderRequest, provider: ProviderID, logger: Logger) async throws -> HTTPClientResponse {
        do {
            return try await clients.streaming.execute(
                request.streaming, timeout: .init(effectiveRequestTimeout), logger: logger)
        } catch {
            throw TransportErrorMapping.map(error, provider: provider, streamStarted: false)
        }
    }
}

/// Writes a trace context into request headers.
private struct HTTPHeadersInjector: Injector {
    func inject(_ value: String, forKey name: String, into headers: inout HTTPHeaders) {
        headers.replaceOrAdd(name: name, value: value)
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
