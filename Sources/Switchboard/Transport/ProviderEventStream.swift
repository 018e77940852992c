import AsyncHTTPClient
import NIOCore

/// A streamed response body decoded into ``ChatEvent``s as its bytes arrive.
///
/// Pulls from the HTTP body only when the consumer asks for the next event, so a slow consumer
/// slows the connection rather than filling memory. Cancelling the consumer's task cancels the
/// HTTP request.
struct ProviderEventStream<Decoder: StreamFrameDecoder, Mapper: StreamEventMapper>: AsyncSequence, Sendable
where Decoder.Frame == Mapper.Frame {
    typealias Element = ChatEvent

    let body: HTTPClientResponse.Body
    let decoder: Decoder
    let mapper: Mapper
    let provider: ProviderID
    /// Leading events known before the body is read (`started`).
    let initialEvents: [ChatEvent]
    /// When the whole request must be over.
    let deadline: ContinuousClock.Instant

    func makeAsyncIterator() -> Iterator {
        Iterator(
            body: body.makeAsyncIterator(), decoder: decoder, mapper: mapper, provider: provider,
            pending: initialEvents[...], deadline: deadline)
    }

    struct Iterator: AsyncIteratorProtocol {
        var body: HTTPClientResponse.Body.AsyncIterator
        var decoder: Decoder
        var mapper: Mapper
        let provider: ProviderID
        var pending: ArraySlice<ChatEvent>
        let deadline: ContinuousClock.Instant
        var frames: [Decoder.Frame] = []
        var events: [ChatEvent] = []
        var ended = false

        mutating func next() async throws -> ChatEvent? {
            while true {
                if let event = pending.popFirst() { return event }
                if ended { return nil }
                if ContinuousClock.now > deadline {
                    ended = true
                    throw ProviderError(
                        kind: .timeout, provider: provider, message: "the stream did not finish before its deadline")
                }
                try await readMore()
            }
        }

        private mutating func readMore() async throws {
            let buffer: ByteBuffer?
            do {
                buffer = try await body.next()
            } catch {
                ended = true
                throw TransportErrorMapping.map(error, provider: provider, streamStarted: true)
            }
            frames.removeAll(keepingCapacity: true)
            events.removeAll(keepingCapacity: true)
            do {
                if let buffer {
                    try decoder.decode(buffer, into: &frames)
                } else {
                    try decoder.finish(into: &frames)
                }
                for frame in frames { try mapper.map(frame, into: &events) }
                if buffer == nil {
                    ended = true
                    try mapper.finish(into: &events)
                }
            } catch {
                ended = true
                throw error
            }
            if Task.isCancelled {
                ended = true
                throw ProviderError(kind: .cancelled, provider: provider, message: "the stream was cancelled")
            }
            pending = events[...]
        }
    }
}
