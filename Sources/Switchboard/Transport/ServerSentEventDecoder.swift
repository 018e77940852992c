import NIOCore

/// An incremental decoder for `text/event-stream` bodies, following the WHATWG HTML
/// "server-sent events" parsing rules.
///
/// Feed it the body in whatever chunks the network delivers; complete events are appended to the
/// `events` array as soon as their terminating blank line arrives. The decoder handles:
///
/// * `LF`, `CRLF` and `CR` line ends, including a `CR` at the end of one chunk followed by an `LF`
///   at the start of the next (one line end, not two);
/// * several `data:` lines in one event, joined with `"\n"`;
/// * a single space after the colon, which is stripped;
/// * comment lines (starting with `:`) and unknown fields, which are ignored;
/// * `event`, `id` and `retry` fields, and lines without a colon (a field with an empty value);
/// * an optional UTF-8 byte order mark at the very start of the stream;
/// * chunk boundaries anywhere, including inside a multi-byte UTF-8 sequence — bytes are only
///   turned into `String`s once a line or event is complete.
///
/// An event is dispatched at a blank line, and only if it had at least one `data` line. The
/// `id` field persists across events (the spec's "last event ID"); ``lastEventID`` and
/// ``reconnectionTime`` expose the values a client needs to reconnect.
///
/// ```swift
/// var decoder = ServerSentEventDecoder()
/// var events: [ServerSentEvent] = []
/// for try await chunk in body {
///     try decoder.decode(chunk, into: &events)
///     for event in events { handle(event) }
///     events.removeAll(keepingCapacity: true)
/// }
/// decoder.finish(into: &events)
/// ```
public struct ServerSentEventDecoder: Sendable {
    /// The largest event, in bytes of buffered data plus the line being read, that the decoder accepts.
    public let maximumEventSize: Int

    /// The last event ID set by an `id:` field, or `nil` when none was set or it was reset.
    /// Send it as `Last-Event-ID` when reconnecting.
    public private(set) var lastEventID: String?

    /// The reconnection time in milliseconds from the most recent valid `retry:` field, if any.
    public private(set) var reconnectionTime: Int?

    /// Bytes of an unfinished line carried over from earlier chunks.
    private var pendingLine: [UInt8] = []
    /// The previous chunk ended with `CR`; an `LF` starting the next chunk belongs to that line end.
    private var skipsLeadingLineFeed = false
    /// No line has been processed yet, so a byte order mark may still be stripped.
    private var isAtStreamStart = true

    /// The `data` lines of the current event, joined with `LF`.
    private var data: [UInt8] = []
    /// Whether the current event has had a `data` line (an empty `data` line still counts).
    private var hasData = false
    /// The `event` field of the current event.
    private var eventType: String?
    /// The `retry` field of the current event.
    private var retry: Int?

    /// Creates a decoder.
    ///
    /// - Parameter maximumEventSize: the largest event, in bytes, to accept; a larger one makes
    ///   ``decode(_:into:)`` throw instead of buffering without bound.
    public init(maximumEventSize: Int = 16 * 1024 * 1024) {
        precondition(maximumEventSize > 0, "maximumEventSize must be positive")
        self.maximumEventSize = maximumEventSize
    }

    /// Decodes the next chunk of the stream, appending every event it completes to `events`.
    ///
    /// - Throws: ``ProviderError`` of kind ``ProviderError/Kind/invalidResponse`` when an event
    ///   grows beyond ``maximumEventSize``. The decoder then drops the partial event and line.
    public mutating func decode(_ bytes: ByteBuffer, into events: inout [ServerSentEvent]) throws {
        try bytes.withUnsafeReadableBytes { raw in
            try self.decode(raw: raw, into: &events)
        }
    }

    /// Decodes the next chunk of the stream from any byte collection, appending every event it
    /// completes to `events`. Contiguous collections (`[UInt8]`, `Data`, …) are read in place.
    ///
    /// - Throws: ``ProviderError`` of kind ``ProviderError/Kind/invalidResponse`` when an event
    ///   grows beyond ``maximumEventSize``.
    public mutating func decode(_ bytes: some Collection<UInt8>, into events: inout [ServerSentEvent]) throws {
        let handled: Void? = try bytes.withContiguousStorageIfAvailable { buffer in
            try self.decode(raw: UnsafeRawBufferPointer(buffer), into: &events)
        }
        if handled == nil {
            let copy = Array(bytes)
            try copy.withUnsafeBytes { raw in
                try self.decode(raw: raw, into: &events)
            }
        }
    }

    /// Ends the stream.
    ///
    /// As the spec requires, an event that was not terminated by a blank line is discarded, so
    /// this never appends anything today; it takes `events` so callers treat every decoder alike.
    /// Afterwards the decoder can decode a new stream; ``lastEventID`` and ``reconnectionTime``
    /// are kept for reconnecting.
    public mutating func finish(into events: inout [ServerSentEvent]) {
        pendingLine.removeAll()
        skipsLeadingLineFeed = false
        isAtStreamStart = true
        resetEvent()
    }

    // MARK: - Line splitting

    private mutating func decode(raw: UnsafeRawBufferPointer, into events: inout [ServerSentEvent]) throws {
        do {
            try splitLines(raw, into: &events)
        } catch {
            pendingLine.removeAll()
            resetEvent()
            throw error
        }
    }

    private mutating func splitLines(_ raw: UnsafeRawBufferPointer, into events: inout [ServerSentEvent]) throws {
        let count = raw.count
        guard count > 0 else { return }
        var position = 0
        if skipsLeadingLineFeed {
            skipsLeadingLineFeed = false
            if raw[0] == ASCII.lineFeed { position = 1 }
        }
        // Offsets of the next LF and CR at or after `position`, or `count` when there is none.
        // Each is searched again only once `position` passes it, so a chunk is scanned at most
        // twice in total whatever its line-end style.
        var nextLineFeed = -1
        var nextCarriageReturn = -1
        while position < count {
            if nextLineFeed < position {
                nextLineFeed = raw.firstOffset(of: ASCII.lineFeed, in: position..<count) ?? count
            }
            if nextCarriageReturn < position {
                nextCarriageReturn = raw.firstOffset(of: ASCII.carriageReturn, in: position..<count) ?? count
            }
            let end = min(nextLineFeed, nextCarriageReturn)
            if end == count {
                try checkSize(adding: count - position)
                pendingLine.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[position..<count]))
                return
            }
            if pendingLine.isEmpty {
                try processLine(UnsafeRawBufferPointer(rebasing: raw[position..<end]), into: &events)
            } else {
                try checkSize(adding: end - position)
                pendingLine.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[position..<end]))
                // Move the buffer out so processing the line may mutate `self`.
                var line: [UInt8] = []
                swap(&line, &pendingLine)
                try line.withUnsafeBytes { try processLine($0, into: &events) }
                line.removeAll(keepingCapacity: line.capacity <= 64 * 1024)
                swap(&line, &pendingLine)
            }
            if end == nextCarriageReturn {
                if end + 1 < count {
                    position = raw[end + 1] == ASCII.lineFeed ? end + 2 : end + 1
                } else {
                    position = count
                    skipsLeadingLineFeed = true
                }
            } else {
                position = end + 1
            }
        }
    }

    private func checkSize(adding byteCount: Int) throws {
        if pendingLine.count + data.count + byteCount > maximumEventSize {
            throw Self.tooLarge(maximumEventSize)
        }
    }

    private static func tooLarge(_ maximum: Int) -> ProviderError {
        ProviderError(
            kind: .invalidResponse,
            message: "A server-sent event is larger than the maximum of \(maximum) bytes"
        )
    }

    // MARK: - Fields

    private mutating func processLine(_ fullLine: UnsafeRawBufferPointer, into events: inout [ServerSentEvent]) throws {
        var line = fullLine
        if isAtStreamStart {
            isAtStreamStart = false
            if line.count >= 3, line[0] == 0xEF, line[1] == 0xBB, line[2] == 0xBF {
                line = UnsafeRawBufferPointer(rebasing: line[3...])
            }
        }
        guard let first = line.first else {
            dispatch(into: &events)
            return
        }
        if first == ASCII.colon { return }

        let nameEnd: Int
        var valueStart: Int
        if let colon = line.firstOffset(of: ASCII.colon, in: 0..<line.count) {
            nameEnd = colon
            valueStart = colon + 1
            if valueStart < line.count, line[valueStart] == ASCII.space { valueStart += 1 }
        } else {
            nameEnd = line.count
            valueStart = line.count
        }
        let name = UnsafeRawBufferPointer(rebasing: line[0..<nameEnd])
        let value = UnsafeRawBufferPointer(rebasing: line[valueStart...])

        if name.equalsASCII("data") {
            let separator = hasData ? 1 : 0
            if data.count + separator + value.count > maximumEventSize {
                throw Self.tooLarge(maximumEventSize)
            }
            if hasData { data.append(ASCII.lineFeed) }
            data.append(contentsOf: value)
            hasData = true
        } else if name.equalsASCII("event") {
            eventType = value.isEmpty ? nil : String(decoding: value, as: UTF8.self)
        } else if name.equalsASCII("id") {
            if value.firstOffset(of: ASCII.null, in: 0..<value.count) == nil {
                lastEventID = value.isEmpty ? nil : String(decoding: value, as: UTF8.self)
            }
        } else if name.equalsASCII("retry") {
            if let milliseconds = Self.parseDigits(value) {
                retry = milliseconds
                reconnectionTime = milliseconds
            }
        }
    }

    /// The value of a non-empty string of ASCII digits, or `nil` for anything else (or on overflow).
    private static func parseDigits(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard !bytes.isEmpty else { return nil }
        var result = 0
        for byte in bytes {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            let (times10, overflow1) = result.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int(byte - 0x30))
            if overflow1 || overflow2 { return nil }
            result = sum
        }
        return result
    }

    private mutating func dispatch(into events: inout [ServerSentEvent]) {
        if hasData {
            let text = data.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
            events.append(ServerSentEvent(event: eventType, data: text, id: lastEventID, retry: retry))
        }
        resetEvent()
    }

    private mutating func resetEvent() {
        data.removeAll(keepingCapacity: data.capacity <= 64 * 1024)
        hasData = false
        eventType = nil
        retry = nil
    }
}
