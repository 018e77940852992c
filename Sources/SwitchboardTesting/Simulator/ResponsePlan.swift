/// A fully rendered response and how to deliver it: the connection handler only follows it.
struct ResponsePlan: Sendable {
    /// One step of a streamed body.
    enum StreamItem: Sendable {
        /// An SSE event or NDJSON line, written and flushed on its own.
        case event([UInt8])
        /// Close the connection without ending the response.
        case cut
        /// Wait until the gate opens.
        case hold(SimulatorGate)
        /// Run a side effect at this point of the stream (e.g. install a pulled model before `success`).
        case perform(@Sendable () -> Void)
    }

    /// The response body.
    enum Body: Sendable {
        /// A complete body sent with `content-length`.
        case full([UInt8])
        /// The first bytes of a body announced with the full `content-length`; the connection closes after them.
        case truncated(sent: [UInt8], announcedLength: Int)
        /// An SSE or NDJSON body sent with chunked encoding, item by item.
        case stream([StreamItem])
    }

    var status: Int
    var headers: [(String, String)]
    var body: Body
    /// Wait before the head.
    var latency: Duration = .zero
    /// Wait between the head and the first body byte.
    var slowFirstByte: Duration = .zero
    /// Wait between stream events.
    var eventInterval: Duration = .zero
    /// Close without answering.
    var dropConnection = false
    /// Gates a whole body waits for after the head (and after ``slowFirstByte``).
    var firstByteGates: [SimulatorGate] = []

    /// A JSON response.
    static func json(_ status: Int, _ body: String, headers: [(String, String)]) -> ResponsePlan {
        ResponsePlan(
            status: status,
            headers: [("content-type", "application/json")] + headers,
            body: .full(Array(body.utf8))
        )
    }

    /// `headers` with `overrides` replacing same-named entries (case-insensitive) and the rest appended.
    static func merge(_ headers: [(String, String)], _ overrides: [(String, String)]) -> [(String, String)] {
        let names = Set(overrides.map { $0.0.lowercased() })
        return headers.filter { !names.contains($0.0.lowercased()) } + overrides
    }
}
