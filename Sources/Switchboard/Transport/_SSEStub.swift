// Temporary stand-in until the real decoders land from the `sse` branch.
import NIOCore

public struct ServerSentEvent: Hashable, Sendable {
    public var event: String?
    public var data: String
    public var id: String?
    public var retry: Int?
}

public struct ServerSentEventDecoder: Sendable {
    var buffer: [UInt8] = []
    public init(maximumEventSize: Int = 16 * 1024 * 1024) {}
    public mutating func decode(_ bytes: ByteBuffer, into events: inout [ServerSentEvent]) throws {
        buffer += bytes.readableBytesView
        var text = String(decoding: buffer, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        while let range = text.range(of: "\n\n") {
            let block = text[..<range.lowerBound]
            text = String(text[range.upperBound...])
            var event = ServerSentEvent(event: nil, data: "", id: nil, retry: nil)
            var lines: [String] = []
            for line in block.split(separator: "\n") {
                if line.hasPrefix("event:") { event.event = line.dropFirst(6).trimmingCharacters(in: .whitespaces) }
                if line.hasPrefix("data:") { lines.append(String(line.dropFirst(5).drop(while: { $0 == " " }))) }
            }
            event.data = lines.joined(separator: "\n")
            if !lines.isEmpty { events.append(event) }
        }
        buffer = Array(text.utf8)
    }
    public mutating func finish(into events: inout [ServerSentEvent]) {}
}
