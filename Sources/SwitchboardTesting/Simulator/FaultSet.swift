/// A reply's faults sorted by kind, and how they change a rendered response.
struct FaultSet: Sendable {
    /// An HTTP error to answer with instead of the reply.
    struct HTTPError: Sendable {
        var status: Int
        var type: String?
        var code: String?
        var message: String?
        var retryAfter: Duration?
    }

    var httpError: HTTPError?
    var latency: Duration = .zero
    var slowFirstByte: Duration = .zero
    var eventInterval: Duration = .zero
    var cutAfter: Int?
    var malformedAfter: Int?
    var inStreamError: (afterEvents: Int, type: String, message: String)?
    var dropConnection = false
    /// Gates to wait for, with the number of events sent before each.
    var holds: [(afterEvents: Int, gate: SimulatorGate)] = []

    init(_ faults: [SimulatedFault]) {
        for fault in faults {
            switch fault {
            case .httpError(let status, let type, let code, let message, let retryAfter):
                httpError = HTTPError(status: status, type: type, code: code, message: message, retryAfter: retryAfter)
            case .latency(let duration): latency += duration
            case .slowFirstByte(let duration): slowFirstByte += duration
            case .eventInterval(let duration): eventInterval = duration
            case .cutStream(let afterEvents): cutAfter = max(0, afterEvents)
            case .malformedChunk(let afterEvents): malformedAfter = max(0, afterEvents)
            case .inStreamError(let afterEvents, let type, let message):
                inStreamError = (max(0, afterEvents), type, message)
            case .dropConnection: dropConnection = true
            case .holdAfterEvents(let afterEvents, let gate): holds.append((max(0, afterEvents), gate))
            }
        }
    }

    /// Applies timing and connection faults to any response.
    func applyDelivery(to plan: inout ResponsePlan) {
        plan.latency = latency
        plan.slowFirstByte = slowFirstByte
        plan.eventInterval = eventInterval
        plan.dropConnection = dropConnection
        if case .stream = plan.body { return }
        // A whole body has no events: every hold happens before it.
        plan.firstByteGates = holds.map(\.gate)
    }

    /// Weaves stream faults into `events`: `malformed` and `error(type, message)` render the
    /// provider's malformed line and in-stream error event.
    func stream(
        _ events: [[UInt8]],
        malformed: [UInt8],
        error: (String, String) -> [UInt8]
    ) -> [ResponsePlan.StreamItem] {
        var items: [ResponsePlan.StreamItem] = []
        for sent in 0...events.count {
            for hold in holds where hold.afterEvents == sent { items.append(.hold(hold.gate)) }
            if malformedAfter == sent { items.append(.event(malformed)) }
            if let inStreamError, inStreamError.afterEvents == sent {
                items.append(.event(error(inStreamError.type, inStreamError.message)))
                return items
            }
            if cutAfter == sent {
                items.append(.cut)
                return items
            }
            if sent < events.count { items.append(.event(events[sent])) }
        }
        return items
    }

    /// Applies `cutStream` and `malformedChunk` to a non-streamed JSON body.
    func body(_ bytes: [UInt8]) -> ResponsePlan.Body {
        if cutAfter != nil {
            return .truncated(sent: Array(bytes.prefix(bytes.count / 2)), announcedLength: bytes.count)
        }
        if malformedAfter != nil {
            return .full(Array(bytes.prefix(bytes.count / 2)) + Array("<<not json".utf8))
        }
        return .full(bytes)
    }

    /// The HTTP status that stands for an in-stream error `type` on a non-streamed response.
    static func status(forErrorType type: String) -> Int {
        switch type {
        case "overloaded_error": 529
        case "rate_limit_error", "rate_limit_exceeded", "requests", "tokens", "RESOURCE_EXHAUSTED": 429
        case "invalid_request_error", "INVALID_ARGUMENT", "FAILED_PRECONDITION": 400
        case "authentication_error", "UNAUTHENTICATED": 401
        case "permission_error", "PERMISSION_DENIED": 403
        case "not_found_error", "NOT_FOUND": 404
        case "UNAVAILABLE": 503
        case "timeout_error", "DEADLINE_EXCEEDED": 504
        default: 500
        }
    }
}
