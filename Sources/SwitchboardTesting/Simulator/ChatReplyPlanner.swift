/// Turns a scripted reply's faults and a rendered answer into a response plan, the same way for
/// every provider; the provider supplies only its wire format.
struct ChatReplyPlanner {
    /// The provider's response headers for a request id, status and retry hint.
    var headers: (_ requestID: String, _ status: Int, _ retryAfter: Duration?) -> [(String, String)]
    /// The provider's error response for a status, error type and message.
    var error: (_ status: Int, _ type: String?, _ message: String?, _ requestID: String) -> ResponsePlan
    /// A stream event that is not valid JSON.
    var malformedEvent: [UInt8]
    /// The provider's in-stream error event for a type and message.
    var streamError: (String, String) -> [UInt8]
    /// The streamed body's content type (SSE unless the provider streams NDJSON).
    var streamContentType = "text/event-stream; charset=utf-8"
    /// Headers a stream gets besides the content type.
    var streamHeaders: [(String, String)] = [("cache-control", "no-cache")]

    /// The plan for one chat request: the scripted HTTP error, else a stream, else a whole body.
    func plan(
        scripted: SimulatedReply,
        faults: FaultSet,
        streaming: Bool,
        requestID: String,
        httpError: (FaultSet.HTTPError) -> ResponsePlan,
        streamEvents: () -> [[UInt8]],
        body: () -> [UInt8]
    ) -> ResponsePlan {
        var plan: ResponsePlan
        if let fault = faults.httpError {
            plan = httpError(fault)
        } else if streaming {
            plan = ResponsePlan(
                status: 200,
                headers: [("content-type", streamContentType)] + streamHeaders + headers(requestID, 200, nil),
                body: .stream(faults.stream(streamEvents(), malformed: malformedEvent, error: streamError))
            )
        } else if let inStream = faults.inStreamError {
            plan = error(FaultSet.status(forErrorType: inStream.type), inStream.type, inStream.message, requestID)
        } else {
            plan = ResponsePlan(
                status: 200,
                headers: [("content-type", "application/json")] + headers(requestID, 200, nil),
                body: faults.body(body())
            )
        }
        faults.applyDelivery(to: &plan)
        plan.headers = ResponsePlan.merge(plan.headers, scripted.headers)
        return plan
    }
}
