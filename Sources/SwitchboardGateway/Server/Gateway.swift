import Foundation
import Hummingbird
import Logging
import NIOCore
import Prometheus
import Switchboard

/// The gateway: speaks the OpenAI, Anthropic and Ollama HTTP APIs and runs every request through an
/// ``LLMClient``'s pipeline — the same validation, routing, retries, breakers and fallback a Swift caller gets.
///
/// ```swift
/// let gateway = Gateway(client: client, configuration: .init(port: 8080), authenticator: .init(store: nil, adminKey: nil))
/// try await gateway.makeApplication().runService()
/// ```
public final class Gateway: Sendable {
    public let client: LLMClient
    public let configuration: GatewayConfiguration
    public let authenticator: GatewayAuthenticator
    public let resolver: ModelResolver
    let estimator: any TokenEstimator
    let requests: ConcurrencyLimiter
    let streams: ConcurrencyLimiter
    /// Each virtual key's own requests and tokens per minute.
    let keyLimits = VirtualKeyLimits()
    /// Each virtual key's budget, added to the client's budgets when the key is first seen.
    let keyBudgets = VirtualKeyBudgets()
    let now: @Sendable () -> Date
    let logger: Logger
    /// Served at `GET /metrics` in the Prometheus text format; `nil` answers 404 there.
    let metrics: PrometheusCollectorRegistry?

    /// - Parameters:
    ///   - metrics: the registry `GET /metrics` exposes (see `PrometheusMetrics.bootstrap()`).
    ///   - now: the wall clock for the `created` timestamps of responses (tests pass a fixed one).
    public init(
        client: LLMClient,
        configuration: GatewayConfiguration = .init(),
        authenticator: GatewayAuthenticator,
        estimator: any TokenEstimator = CharacterRatioTokenEstimator(),
        logger: Logger = Logger(label: "switchboard.gateway"),
        metrics: PrometheusCollectorRegistry? = nil,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.metrics = metrics
        self.client = client
        self.configuration = configuration
        self.authenticator = authenticator
        self.resolver = ModelResolver(client: client)
        self.estimator = estimator
        self.requests = ConcurrencyLimiter(limit: configuration.maxConcurrentRequests)
        self.streams = ConcurrencyLimiter(limit: configuration.maxConcurrentStreams)
        self.now = now
        // Keys never reach a log line, Hummingbird's included; the wrapper also keeps the request id
        // Hummingbird sets on every request from being rendered by the underlying handler each time.
        self.logger = client.redacting(logger)
    }

    /// The Hummingbird application serving the gateway's routes on ``configuration``'s address.
    ///
    /// Every response says the client's connectivity mode (`x-switchboard-connectivity: online`,
    /// `degraded` or `offline`).
    public func makeApplication(
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: makeRouter(),
            server: .http1(configuration: .init(idleTimeout: .nanoseconds(configuration.idleTimeout.nanoseconds))),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port), serverName: "switchboard"),
            onServerRunning: onServerRunning,
            logger: logger)
    }

    /// Requests in flight now, streams included.
    public var requestsInFlight: Int { requests.current }

    // MARK: Plumbing shared by the protocol endpoints

    /// Runs `body` for an authenticated caller inside a request slot, turning every failure into
    /// `inbound`'s error response.
    func handle(
        _ request: Request, _ inbound: InboundProtocol,
        _ body: (GatewayCaller, RequestSlot) async throws -> Response
    ) async -> Response {
        guard requests.acquire() else { return inbound.response(for: .busy("requests")) }
        let slot = RequestSlot(limiter: requests)
        defer { if !slot.isHandedOff { slot.release() } }
        do {
            let caller = try authenticator.authenticate(request.headers)
            if let key = caller.key { try await keyBudgets.enforce(key, on: client) }
            return try await body(caller, slot)
        } catch {
            let failure = GatewayError.from(error)
            if failure.status >= 500 {
                logger.warning("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(failure)"])
            }
            return inbound.response(for: failure)
        }
    }

    /// Shared: `JSONDecoder` is thread-safe once configured, and this one is never reconfigured.
    private static let bodyDecoder = JSONDecoder()

    /// The request body decoded as `T`; 413 past the size limit, 400 when it is not valid JSON for `T`.
    func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        let limit = configuration.maxBodyBytes
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw GatewayError.tooLarge(limit: limit)
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw GatewayError.tooLarge(limit: limit)
        }
        if let value = buffer.withUnsafeReadableBytes({ JSONReader.value(T.self, from: $0) }) { return value }
        do {
            return try Self.bodyDecoder.decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw GatewayError.invalidRequest(Self.describe(error), parameter: Self.path(of: error))
        } catch let error as GatewayError {
            throw error
        } catch {
            throw GatewayError.invalidRequest("The body is not valid JSON.")
        }
    }

    /// Resolves the requested model, checks the caller may use it, and fills in the caller's identity.
    func prepare(_ chat: inout ChatRequest, requestedModel: String?, caller: GatewayCaller) throws {
        try authorize(model: requestedModel, caller: caller)
        let (model, provider) = resolver.resolve(requestedModel)
        chat.model = model
        chat.provider = provider
        caller.apply(to: &chat.metadata)
    }

    /// Sends a whole-answer request within its virtual key's limits.
    func complete(_ chat: ChatRequest) async throws -> ChatResponse {
        let admission = try await keyLimits.admit(chat)
        do {
            let response = try await client.chat(chat)
            await keyLimits.release(admission, usedTokens: response.usage?.totalTokens)
            return response
        } catch {
            await keyLimits.release(admission, usedTokens: nil)
            throw error
        }
    }

    func authorize(model: String?, caller: GatewayCaller) throws {
        guard caller.allows(model: model) else {
            throw GatewayError(
                kind: .permissionDenied, status: 403,
                message: "This key may not use the model '\(model ?? "auto")'.", code: "model_not_allowed")
        }
    }

    /// Opens the stream and waits for its first event, so an upstream failure before any content still
    /// gets a proper HTTP status; then answers with a body that writes the rest as `encoder` frames it.
    ///
    /// The body stops — and the upstream request is cancelled — when a write finds the client gone.
    func streamResponse<Encoder: ChatStreamEncoder>(
        _ chat: ChatRequest, request: Request, slot: RequestSlot, encoder: Encoder
    ) async throws -> Response {
        // A stream keeps its worst-case token reservation: its key's limits are taken now, not corrected.
        await keyLimits.release(try await keyLimits.admit(chat), usedTokens: nil)
        guard streams.acquire() else { throw GatewayError.busy("streams") }
        let streamSlot = RequestSlot(limiter: streams)
        let box: EventIteratorBox
        var headers: HTTPFields = [.contentType: Encoder.contentType, .cacheControl: "no-cache"]
        do {
            var iterator = try await client.stream(chat).makeAsyncIterator()
            let first = try await iterator.next()
            if case .started(let start) = first { headers.append(contentsOf: ServedHeaders.fields(for: start)) }
            box = EventIteratorBox(iterator: iterator, pending: first.map { [$0] } ?? [])
        } catch {
            streamSlot.release()
            throw error
        }
        slot.handOff()
        let logger = self.logger
        let body = ResponseBody { writer in
            defer {
                box.iterator = nil
                streamSlot.release()
                slot.release()
            }
            var encoder = encoder
            var finish: StreamFinish?
            guard try await Self.pump(box, encoder: &encoder, writer: &writer, finish: &finish, logger: logger)
            else { return }
            try await writer.finish(ServedHeaders.trailers(for: finish))
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    /// Writes every event as it arrives, flushing each, and keeps the stream's `finish`. Returns `false`
    /// when the client went away: a write failed, so the stream is dropped, which cancels the upstream
    /// request and closes its connection.
    private static func pump<Encoder: ChatStreamEncoder>(
        _ box: EventIteratorBox, encoder: inout Encoder, writer: inout any ResponseBodyWriter,
        finish: inout StreamFinish?, logger: Logger
    ) async throws -> Bool {
        func send(_ buffer: ByteBuffer, writer: inout any ResponseBodyWriter) async -> Bool {
            guard buffer.readableBytes > 0 else { return true }
            do {
                try await writer.write(buffer)
                return true
            } catch {
                logger.debug("client disconnected; cancelling the upstream request")
                return false
            }
        }
        do {
            while let event = try await box.next() {
                if case .finish(let ending) = event { finish = ending }
                var buffer = ByteBuffer()
                encoder.encode(event, into: &buffer)
                guard await send(buffer, writer: &writer) else { return false }
            }
            var buffer = ByteBuffer()
            encoder.finish(into: &buffer)
            return await send(buffer, writer: &writer)
        } catch let error as ProviderError where error.kind != .cancelled {
            var buffer = ByteBuffer()
            encoder.fail(GatewayError(error), into: &buffer)
            return await send(buffer, writer: &writer)
        } catch {
            return false
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            return "Missing required parameter: '\(pathString(context.codingPath + [key]))'."
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "Invalid type for '\(pathString(context.codingPath))': \(context.debugDescription)"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "The body is not valid JSON." }
            return "Invalid value for '\(pathString(context.codingPath))': \(context.debugDescription)"
        @unknown default:
            return "The body does not match the API."
        }
    }

    private static func path(of error: DecodingError) -> String? {
        switch error {
        case .keyNotFound(let key, let context): pathString(context.codingPath + [key])
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            context.codingPath.isEmpty ? nil : pathString(context.codingPath)
        @unknown default: nil
        }
    }

    private static func pathString(_ path: [any CodingKey]) -> String {
        path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            .replacingOccurrences(of: ".[", with: "[")
    }
}

extension Duration {
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
