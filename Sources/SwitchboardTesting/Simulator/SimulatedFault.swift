/// A misbehaviour the simulator injects into one reply.
///
/// Stream faults count *events*: the SSE events in the order they are sent (for OpenAI the
/// `data: [DONE]` line is the last event; for Anthropic `ping` counts; for Gemini every `data:`
/// chunk), or for Ollama the NDJSON lines (chat lines, or `/api/pull` progress lines). On a
/// non-streaming response `cutStream` sends the head and half of the body before closing,
/// `malformedChunk` sends a body that is not valid JSON, `inStreamError` becomes an HTTP error with
/// that type and message, and `holdAfterEvents` holds the body back until its gate opens.
public enum SimulatedFault: Sendable, Hashable {
    /// Answers with an HTTP error in the provider's error format. A `nil` type, code or message takes
    /// the provider's usual value for the status. 429 also carries `retry-after` (OpenAI also
    /// `retry-after-ms`) and exhausted rate-limit headers; 529 is Anthropic's `overloaded_error`.
    case httpError(status: Int, type: String?, code: String?, message: String?, retryAfter: Duration?)
    /// Waits before sending the response head.
    case latency(Duration)
    /// Sends the head, then waits before the first body byte or event.
    case slowFirstByte(Duration)
    /// Pauses between stream events.
    case eventInterval(Duration)
    /// Closes the connection after this many events, without the stream's terminator. The close
    /// follows the last event by about 20 ms so that a reading client receives the events first.
    case cutStream(afterEvents: Int)
    /// After this many events sends a `data:` line that is not valid JSON, then continues.
    case malformedChunk(afterEvents: Int)
    /// Closes the connection without sending any response.
    case dropConnection
    /// Answers 200 with a stream, sends this many events, then the provider's in-stream error
    /// (OpenAI and Gemini `data: {"error":{...}}`, Anthropic `event: error`, Ollama a final
    /// `{"error":"<message>"}` line) and ends the response. For Gemini `type` is the status name
    /// (e.g. `INTERNAL`); Ollama ignores it.
    case inStreamError(afterEvents: Int, type: String, message: String)
    /// After this many events pauses the response until the gate's ``SimulatorGate/open()`` is
    /// called, then continues (a held response also ends when the simulator shuts down).
    case holdAfterEvents(Int, SimulatorGate)
}
