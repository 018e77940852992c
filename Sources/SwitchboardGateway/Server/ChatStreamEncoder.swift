import NIOCore
import Switchboard

/// Turns a ``ChatEventStream`` into one protocol's stream framing (SSE or NDJSON), event by event.
protocol ChatStreamEncoder: Sendable {
    /// The response's `Content-Type`.
    static var contentType: String { get }
    /// Appends the bytes for `event` (possibly none).
    mutating func encode(_ event: ChatEvent, into buffer: inout ByteBuffer)
    /// Appends the bytes that end a stream whose events all arrived.
    mutating func finish(into buffer: inout ByteBuffer)
    /// Appends the protocol's in-stream error for a stream that broke.
    mutating func fail(_ error: GatewayError, into buffer: inout ByteBuffer)
}

extension ByteBuffer {
    /// `value` as compact JSON.
    init(json value: JSONValue) {
        self.init()
        writeJSON(value)
    }

    /// Appends `value` as compact JSON.
    mutating func writeJSON(_ value: JSONValue) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        value.write(into: &bytes)
        writeBytes(bytes)
    }

    /// Appends one server-sent event: an optional `event:` line, the `data:` line and the blank line.
    mutating func writeServerSentEvent(name: String? = nil, data: JSONValue) {
        if let name {
            writeString("event: ")
            writeString(name)
            writeString("\n")
        }
        writeString("data: ")
        writeJSON(data)
        writeString("\n\n")
    }
}
