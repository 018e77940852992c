/// One event of a `text/event-stream` (server-sent events) response.
///
/// Produced by ``ServerSentEventDecoder``. OpenAI Chat Completions and Gemini send only ``data``;
/// Anthropic and the OpenAI Responses API also name each event with ``event``.
public struct ServerSentEvent: Hashable, Sendable {
    /// The event name from the `event:` field, or `nil` when the event had none (the spec's `"message"`).
    public var event: String?
    /// The `data:` lines of the event joined with `"\n"`.
    public var data: String
    /// The last event ID seen on the stream so far (the `id:` field persists across events, as in
    /// the WHATWG spec), or `nil` when none was set or it was reset with an empty `id`.
    public var id: String?
    /// The reconnection time in milliseconds from a `retry:` field inside this event, if any.
    public var retry: Int?

    /// Creates an event.
    public init(event: String? = nil, data: String, id: String? = nil, retry: Int? = nil) {
        self.event = event
        self.data = data
        self.id = id
        self.retry = retry
    }
}
