import NIOCore
import NIOHTTP1

/// Writes a ``ResponsePlan`` to a connection, honouring its delays and faults; every write is flushed.
struct ResponseWriter {
    let outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>
    let watch: ResponseWatch
    /// Called once a response has been written whole to a client still connected.
    let delivered: @Sendable (RecordedRequest) -> Void

    /// Writes the response; returns whether the connection may serve another request.
    ///
    /// A failed write counts as a client disconnect and is rethrown.
    func write(
        _ plan: ResponsePlan, for request: RecordedRequest, version: HTTPVersion, keepAlive: Bool
    ) async throws -> Bool {
        do {
            return try await send(plan, for: request, version: version, keepAlive: keepAlive)
        } catch let error as CancellationError {
            throw error
        } catch {
            watch.abandon()
            throw error
        }
    }

    /// How long a scripted cut waits after its last bytes before closing, so that a client
    /// sees those bytes before it sees the connection close.
    static let cutLinger: Duration = .milliseconds(20)

    /// Ends the response from the server side: not a client disconnect; the caller then closes.
    private func cut() async throws -> Bool {
        watch.complete()
        try await pause(Self.cutLinger)
        return false
    }

    private func pause(_ duration: Duration) async throws {
        if duration > .zero { try await Task.sleep(for: duration) }
    }

    private func send(
        _ plan: ResponsePlan, for request: RecordedRequest, version: HTTPVersion, keepAlive: Bool
    ) async throws -> Bool {
        try await pause(plan.latency)
        if plan.dropConnection {
            watch.complete()
            return false
        }

        var headers = HTTPHeaders(plan.headers)
        switch plan.body {
        case .full(let bytes): headers.replaceOrAdd(name: "content-length", value: String(bytes.count))
        case .truncated(_, let length): headers.replaceOrAdd(name: "content-length", value: String(length))
        case .stream: break  // chunked transfer encoding, added by the encoder
        }
        if !keepAlive { headers.replaceOrAdd(name: "connection", value: "close") }
        let status =
            plan.status == 529
            ? HTTPResponseStatus(statusCode: 529, reasonPhrase: "Overloaded")
            : HTTPResponseStatus(statusCode: plan.status)
        try await outbound.write(.head(HTTPResponseHead(version: version, status: status, headers: headers)))
        try await pause(plan.slowFirstByte)
        for gate in plan.firstByteGates { try await gate.wait() }

        // Once the last bytes are handed over, the client can have the whole answer and close at once —
        // before this task runs again on a loaded machine — so the response counts as delivered from then.
        var delivery: Bool?
        func handOverLastBytes() {
            delivery = watch.complete()
            if delivery == true { delivered(request) }
        }
        switch plan.body {
        case .full(let bytes):
            handOverLastBytes()
            if !bytes.isEmpty { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: bytes)))) }
        case .truncated(let bytes, _):
            try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: bytes))))
            return try await cut()
        case .stream(let items):
            var sentAny = false
            let lastEvent = items.lastIndex { if case .event = $0 { true } else { false } }
            let endsWithCut = items.contains { if case .cut = $0 { true } else { false } }
            for (index, item) in items.enumerated() {
                switch item {
                case .event(let bytes):
                    if sentAny { try await pause(plan.eventInterval) }
                    sentAny = true
                    if index == lastEvent && !endsWithCut { handOverLastBytes() }
                    try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: bytes))))
                case .cut:
                    if sentAny { try await pause(plan.eventInterval) }
                    return try await cut()
                case .hold(let gate):
                    try await gate.wait()
                case .perform(let action):
                    action()
                }
            }
        }
        if delivery == nil { handOverLastBytes() }
        try await outbound.write(.end(nil))
        return keepAlive
    }
}
