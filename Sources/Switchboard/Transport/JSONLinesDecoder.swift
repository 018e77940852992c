import NIOCore

/// An incremental splitter for NDJSON / JSON Lines bodies (Ollama's native streaming format).
///
/// Each line is one JSON document. Lines end with `LF` or `CRLF` (the `CR` is removed); blank
/// lines, including lines of only spaces and tabs, are skipped. Chunk boundaries may fall anywhere,
/// including inside a multi-byte UTF-8 sequence or between the `CR` and `LF` of a line end. The
/// decoder returns raw line bytes, ready for `JSONDecoder`; it does not parse JSON itself.
///
/// ```swift
/// var decoder = JSONLinesDecoder()
/// var lines: [[UInt8]] = []
/// for try await chunk in body { try decoder.decode(chunk, into: &lines) }
/// decoder.finish(into: &lines)  // a final line without a newline
/// ```
public struct JSONLinesDecoder: Sendable {
    /// The longest line, in bytes without its line end, that the decoder accepts.
    public let maximumLineSize: Int

    /// Bytes of an unfinished line carried over from earlier chunks.
    private var pending: [UInt8] = []

    /// Creates a decoder.
    ///
    /// - Parameter maximumLineSize: the longest line, in bytes, to accept; a longer one makes
    ///   ``decode(_:into:)`` throw instead of buffering without bound.
    public init(maximumLineSize: Int = 16 * 1024 * 1024) {
        precondition(maximumLineSize > 0, "maximumLineSize must be positive")
        self.maximumLineSize = maximumLineSize
    }

    /// Decodes the next chunk of the stream, appending every complete non-blank line to `lines`.
    ///
    /// - Throws: ``ProviderError`` of kind ``ProviderError/Kind/invalidResponse`` when a line is
    ///   longer than ``maximumLineSize``. The decoder then drops the partial line.
    public mutating func decode(_ bytes: ByteBuffer, into lines: inout [[UInt8]]) throws {
        try bytes.withUnsafeReadableBytes { raw in
            try self.decode(raw: raw, into: &lines)
        }
    }

    /// Decodes the next chunk of the stream from any byte collection, appending every complete
    /// non-blank line to `lines`.
    ///
    /// - Throws: ``ProviderError`` of kind ``ProviderError/Kind/invalidResponse`` when a line is
    ///   longer than ``maximumLineSize``.
    public mutating func decode(_ bytes: some Collection<UInt8>, into lines: inout [[UInt8]]) throws {
        let handled: Void? = try bytes.withContiguousStorageIfAvailable { buffer in
            try self.decode(raw: UnsafeRawBufferPointer(buffer), into: &lines)
        }
        if handled == nil {
            let copy = Array(bytes)
            try copy.withUnsafeBytes { raw in
                try self.decode(raw: raw, into: &lines)
            }
        }
    }

    /// Ends the stream, appending a final line that had no line end (unless it is blank).
    /// Afterwards the decoder can decode a new stream.
    public mutating func finish(into lines: inout [[UInt8]]) {
        if !pending.isEmpty {
            pending.withUnsafeBytes { Self.emit($0, into: &lines) }
        }
        pending.removeAll()
    }

    private mutating func decode(raw: UnsafeRawBufferPointer, into lines: inout [[UInt8]]) throws {
        var position = 0
        let count = raw.count
        while position < count {
            guard let lineFeed = raw.firstOffset(of: ASCII.lineFeed, in: position..<count) else {
                // One extra byte allowed: it may be the CR of a CRLF split across chunks.
                guard pending.count + (count - position) <= maximumLineSize + 1 else {
                    pending.removeAll()
                    throw Self.tooLong(maximumLineSize)
                }
                pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[position..<count]))
                return
            }
            if pending.isEmpty {
                try checkedEmit(UnsafeRawBufferPointer(rebasing: raw[position..<lineFeed]), into: &lines)
            } else {
                pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[position..<lineFeed]))
                defer { pending.removeAll(keepingCapacity: pending.capacity <= 64 * 1024) }
                try pending.withUnsafeBytes { try checkedEmit($0, into: &lines) }
            }
            position = lineFeed + 1
        }
    }

    private func checkedEmit(_ line: UnsafeRawBufferPointer, into lines: inout [[UInt8]]) throws {
        let length = line.last == ASCII.carriageReturn ? line.count - 1 : line.count
        guard length <= maximumLineSize else { throw Self.tooLong(maximumLineSize) }
        Self.emit(line, into: &lines)
    }

    /// Appends `line` without a trailing `CR`, unless it is blank.
    private static func emit(_ line: UnsafeRawBufferPointer, into lines: inout [[UInt8]]) {
        var end = line.count
        if end > 0, line[end - 1] == ASCII.carriageReturn { end -= 1 }
        var index = 0
        while index < end, line[index] == ASCII.space || line[index] == ASCII.tab || line[index] == ASCII.carriageReturn
        {
            index += 1
        }
        guard index < end else { return }
        lines.append(Array(UnsafeRawBufferPointer(rebasing: line[0..<end])))
    }

    private static func tooLong(_ maximum: Int) -> ProviderError {
        ProviderError(kind: .invalidResponse, message: "A JSON line is longer than the maximum of \(maximum) bytes")
    }
}
