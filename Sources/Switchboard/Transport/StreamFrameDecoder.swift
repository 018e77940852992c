import NIOCore

/// Splits a response body into frames (server-sent events, JSON lines) as its bytes arrive.
protocol StreamFrameDecoder: Sendable {
    associatedtype Frame: Sendable
    mutating func decode(_ bytes: ByteBuffer, into frames: inout [Frame]) throws
    mutating func finish(into frames: inout [Frame]) throws
}

extension ServerSentEventDecoder: StreamFrameDecoder {}

/// Turns one provider's frames into ``ChatEvent``s; holds what it needs across frames.
protocol StreamEventMapper: Sendable {
    associatedtype Frame: Sendable
    /// Maps one frame; throws ``ProviderError`` for an in-stream error or a malformed frame.
    mutating func map(_ frame: Frame, into events: inout [ChatEvent]) throws
    /// The body ended; emits the closing events or throws when the stream was cut short.
    mutating func finish(into events: inout [ChatEvent]) throws
}
