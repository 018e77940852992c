import NIOCore
import Switchboard
import Testing

/// Decodes `bytes` delivered as `chunking` says, including `finish`.
private func decode(
    _ bytes: [UInt8],
    chunking: Chunking = .whole,
    maximumEventSize: Int = 16 * 1024 * 1024
) throws -> [ServerSentEvent] {
    var decoder = ServerSentEventDecoder(maximumEventSize: maximumEventSize)
    var events: [ServerSentEvent] = []
    for chunk in chunking.chunks(of: bytes) {
        try decoder.decode(chunk, into: &events)
    }
    decoder.finish(into: &events)
    return events
}

private func decode(_ text: String, chunking: Chunking = .whole) throws -> [ServerSentEvent] {
    try decode(Array(text.utf8), chunking: chunking)
}

/// An independent, deliberately naive reading of the recorded fixtures (LF line ends, only
/// `event:` and `data:` lines, every event ending in a blank line) to check the decoder against.
private func naiveEvents(_ bytes: [UInt8]) -> [ServerSentEvent] {
    let text = String(decoding: bytes, as: UTF8.self)
    return text.components(separatedBy: "\n\n").compactMap { block in
        var event: String?
        var data: [String] = []
        for line in block.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("event: ") { event = String(line.dropFirst(7)) }
            if line.hasPrefix("data: ") { data.append(String(line.dropFirst(6))) }
        }
        return data.isEmpty ? nil : ServerSentEvent(event: event, data: data.joined(separator: "\n"))
    }
}

@Suite("ServerSentEventDecoder")
struct ServerSentEventDecoderTests {
    // MARK: Line ends

    @Test("Every line-end style gives the same events", arguments: LineEnding.allCases)
    func lineEndings(_ ending: LineEnding) throws {
        let stream = Array("event: a\ndata: 1\ndata: 2\n\n: comment\ndata: 3\n\n".utf8)
        let expected = [ServerSentEvent(event: "a", data: "1\n2"), ServerSentEvent(data: "3")]
        for chunking in Chunking.all {
            #expect(try decode(ending.apply(to: stream), chunking: chunking) == expected, "\(chunking)")
        }
    }

    @Test("A CR ending one chunk and an LF starting the next are one line end")
    func crlfSplitAcrossChunks() throws {
        var decoder = ServerSentEventDecoder()
        var events: [ServerSentEvent] = []
        try decoder.decode(Array("data: a\r".utf8), into: &events)
        try decoder.decode(Array("\ndata: b\r".utf8), into: &events)
        try decoder.decode(Array("\n".utf8), into: &events)
        #expect(events.isEmpty)
        try decoder.decode(Array("\r".utf8), into: &events)
        try decoder.decode(Array("\n".utf8), into: &events)
        #expect(events == [ServerSentEvent(data: "a\nb")])
    }

    @Test("A lone CR at a chunk end is a line end even if the next chunk starts with CR")
    func crThenCr() throws {
        var decoder = ServerSentEventDecoder()
        var events: [ServerSentEvent] = []
        try decoder.decode(Array("data: a\r".utf8), into: &events)
        try decoder.decode(Array("\rdata: b\r\r".utf8), into: &events)
        #expect(events == [ServerSentEvent(data: "a"), ServerSentEvent(data: "b")])
    }

    @Test("Mixed line ends in one stream")
    func mixedLineEnds() throws {
        let events = try decode("data: a\r\ndata: b\rdata: c\n\r\ndata: d\r\r")
        #expect(events == [ServerSentEvent(data: "a\nb\nc"), ServerSentEvent(data: "d")])
    }

    // MARK: Fields

    @Test("Multi-line data is joined with LF")
    func multiLineData() throws {
        #expect(
            try decode("data: first\ndata: second\ndata:third\n\n") == [ServerSentEvent(data: "first\nsecond\nthird")])
        #expect(try decode("data\ndata\n\n") == [ServerSentEvent(data: "\n")])
        #expect(try decode("data: a\ndata:\ndata: b\n\n") == [ServerSentEvent(data: "a\n\nb")])
    }

    @Test("Only a single leading space after the colon is stripped")
    func leadingSpace() throws {
        #expect(try decode("data:  two spaces\n\n") == [ServerSentEvent(data: " two spaces")])
        #expect(try decode("data:none\n\n") == [ServerSentEvent(data: "none")])
        #expect(try decode("data: trailing \n\n") == [ServerSentEvent(data: "trailing ")])
        #expect(try decode("data: a: b:c\n\n") == [ServerSentEvent(data: "a: b:c")])
        #expect(try decode("data:\ttab\n\n") == [ServerSentEvent(data: "\ttab")])
    }

    @Test("Comment lines are ignored, a comment-only block dispatches nothing")
    func comments() throws {
        #expect(try decode(": keep-alive\n\n") == [])
        #expect(try decode(":\n\n") == [])
        #expect(
            try decode(": OPENROUTER PROCESSING\n\ndata: x\n: in the middle\ndata: y\n\n") == [
                ServerSentEvent(data: "x\ny")
            ])
    }

    @Test("Event names apply to one event only")
    func eventNames() throws {
        let events = try decode(
            "event: add\ndata: 1\n\ndata: 2\n\nevent: first\nevent: second\ndata: 3\n\nevent:\ndata: 4\n\n")
        #expect(
            events == [
                ServerSentEvent(event: "add", data: "1"),
                ServerSentEvent(data: "2"),
                ServerSentEvent(event: "second", data: "3"),
                ServerSentEvent(data: "4"),
            ])
    }

    @Test("The id persists across events until reset; ids with NUL are ignored")
    func ids() throws {
        var decoder = ServerSentEventDecoder()
        var events: [ServerSentEvent] = []
        try decoder.decode(Array("id: 7\ndata: a\n\ndata: b\n\nid: 8\0\ndata: c\n\n".utf8), into: &events)
        #expect(events.map(\.id) == ["7", "7", "7"])
        #expect(decoder.lastEventID == "7")
        events.removeAll()
        try decoder.decode(Array("id\ndata: d\n\nid: 9\n\n".utf8), into: &events)
        #expect(events == [ServerSentEvent(data: "d")])
        #expect(decoder.lastEventID == "9", "an id in an event without data still sets the last event ID")
    }

    @Test("retry takes only ASCII digits")
    func retry() throws {
        var decoder = ServerSentEventDecoder()
        var events: [ServerSentEvent] = []
        try decoder.decode(
            Array("retry: 1500\ndata: a\n\ndata: b\n\nretry: 15a\ndata: c\n\nretry: -1\nretry:\ndata: d\n\n".utf8),
            into: &events
        )
        #expect(events.map(\.retry) == [1500, nil, nil, nil])
        #expect(decoder.reconnectionTime == 1500)
        try decoder.decode(Array("retry: 99999999999999999999999\ndata: e\n\nretry: 20\n\n".utf8), into: &events)
        #expect(events.last?.retry == nil, "an overflowing value is ignored")
        #expect(decoder.reconnectionTime == 20, "retry without data still sets the reconnection time")
    }

    @Test("Unknown fields and fields without a colon")
    func fieldsWithoutColon() throws {
        #expect(try decode("data\n\n") == [ServerSentEvent(data: "")])
        #expect(try decode("event\ndata: x\n\n") == [ServerSentEvent(data: "x")])
        #expect(try decode("foo: bar\nDATA: shouting\ndata: x\nbogus\n\n") == [ServerSentEvent(data: "x")])
        #expect(try decode("data : spaced name\n\n") == [], "the field name is `data `, not `data`")
    }

    @Test("Empty data is dispatched, an event with no data line is not")
    func emptyData() throws {
        #expect(try decode("data:\n\n") == [ServerSentEvent(data: "")])
        #expect(try decode("data: \n\n") == [ServerSentEvent(data: "")])
        #expect(try decode("event: ping\n\n") == [])
        #expect(try decode("\n\n\n") == [])
    }

    @Test("A byte order mark is skipped at stream start only", arguments: Chunking.all)
    func byteOrderMark(_ chunking: Chunking) throws {
        #expect(try decode("\u{FEFF}data: x\n\n", chunking: chunking) == [ServerSentEvent(data: "x")])
        #expect(try decode("\u{FEFF}\n\u{FEFF}data: y\n\n", chunking: chunking) == [], "only one BOM is stripped")
        #expect(try decode("data: a\n\n\u{FEFF}data: b\n\n", chunking: chunking) == [ServerSentEvent(data: "a")])
        #expect(try decode("data: \u{FEFF}z\n\n", chunking: chunking) == [ServerSentEvent(data: "\u{FEFF}z")])
    }

    @Test("An unterminated final event is discarded at finish")
    func unterminatedFinalEvent() throws {
        #expect(try decode("data: a\n\ndata: b\n") == [ServerSentEvent(data: "a")])
        #expect(try decode("data: a\n\ndata: b") == [ServerSentEvent(data: "a")])
        #expect(try decode("data: a\r\n\r\ndata: b\r") == [ServerSentEvent(data: "a")])
    }

    @Test("finish resets the decoder for a new stream")
    func finishResets() throws {
        var decoder = ServerSentEventDecoder()
        var events: [ServerSentEvent] = []
        try decoder.decode(Array("event: e\ndata: partial".utf8), into: &events)
        decoder.finish(into: &events)
        try decoder.decode(Array("\u{FEFF}data: fresh\n\n".utf8), into: &events)
        #expect(events == [ServerSentEvent(data: "fresh")])
    }

    @Test("The Collection overload accepts non-contiguous collections")
    func nonContiguousCollection() throws {
        var decoder = ServerSentEventDecoder()
        var events: [ServerSentEvent] = []
        try decoder.decode("data: lazy\n\n".utf8.lazy.map { $0 }, into: &events)
        try decoder.decode(ByteBuffer(string: "data: buffer\n\n").readableBytesView, into: &events)
        #expect(events == [ServerSentEvent(data: "lazy"), ServerSentEvent(data: "buffer")])
    }

    // MARK: UTF-8

    @Test("Multi-byte UTF-8 split at every byte offset")
    func utf8SplitEverywhere() throws {
        let text = "héllo 🌍 世界"
        let stream = Array("event: \(text)\ndata: \(text)\ndata: \(text)\n\n".utf8)
        let expected = [ServerSentEvent(event: text, data: "\(text)\n\(text)")]
        for offset in 0...stream.count {
            var decoder = ServerSentEventDecoder()
            var events: [ServerSentEvent] = []
            try decoder.decode(ByteBuffer(bytes: stream[..<offset]), into: &events)
            try decoder.decode(ByteBuffer(bytes: stream[offset...]), into: &events)
            decoder.finish(into: &events)
            #expect(events == expected, "split at \(offset)")
        }
        for chunking in Chunking.all {
            #expect(try decode(stream, chunking: chunking) == expected, "\(chunking)")
        }
    }

    @Test("Invalid UTF-8 is repaired with U+FFFD")
    func invalidUTF8() throws {
        let events = try decode(Array("data: a".utf8) + [0xFF, 0xC3] + Array("\n\n".utf8))
        #expect(events == [ServerSentEvent(data: "a\u{FFFD}\u{FFFD}")])
    }

    // MARK: Recorded streams

    @Test(
        "Recorded provider streams decode identically under every chunking and line end",
        arguments: ["openai-text.sse", "openai-tool-call.sse", "anthropic-text.sse", "anthropic-tool-use.sse"]
    )
    func recordedStreams(_ name: String) throws {
        let bytes = try Fixtures.bytes(name)
        let expected = try decode(bytes)
        #expect(expected == naiveEvents(bytes))
        #expect(expected.count >= 5)
        for ending in LineEnding.allCases {
            for chunking in Chunking.all {
                #expect(try decode(ending.apply(to: bytes), chunking: chunking) == expected, "\(ending), \(chunking)")
            }
        }
    }

    @Test("The OpenAI text stream ends with [DONE] and has no event names")
    func openAITextStream() throws {
        let events = try decode(try Fixtures.bytes("openai-text.sse"))
        #expect(events.count == 5)
        #expect(events.allSatisfy { $0.event == nil && $0.id == nil && $0.retry == nil })
        #expect(events.last?.data == "[DONE]")
        #expect(events[1].data.contains(#""delta":{"content":"{\""}"#))
    }

    @Test("The OpenAI tool-call stream carries the argument fragments")
    func openAIToolCallStream() throws {
        let events = try decode(try Fixtures.bytes("openai-tool-call.sse"))
        #expect(events.count == 9)
        #expect(events[0].data.contains(#""name":"get_weather""#))
        #expect(events[4].data.contains(#""arguments":"New York City""#))
        #expect(events.last?.data == "[DONE]")
    }

    @Test("Anthropic streams name every event after its JSON type")
    func anthropicEventNames() throws {
        let text = try decode(try Fixtures.bytes("anthropic-text.sse"))
        #expect(
            text.map(\.event) == [
                "message_start", "content_block_start", "ping", "content_block_delta", "content_block_delta",
                "content_block_delta", "content_block_stop", "message_delta", "message_stop",
            ])
        let toolUse = try decode(try Fixtures.bytes("anthropic-tool-use.sse"))
        #expect(toolUse.count == 10)
        for events in [text, toolUse] {
            for event in events {
                let name = try #require(event.event)
                #expect(event.data.contains(#""type":"\#(name)""#) || event.data.contains(#""type": "\#(name)""#))
            }
        }
    }

    // MARK: Limits

    @Test("An event larger than the maximum throws", arguments: [Chunking.whole, .bytes, .random(seed: 9, maximum: 5)])
    func oversizeEvent(_ chunking: Chunking) throws {
        let long = String(repeating: "x", count: 100)
        let error = #expect(throws: ProviderError.self) {
            try decode(Array("data: \(long)\n\n".utf8), chunking: chunking, maximumEventSize: 64)
        }
        #expect(error?.kind == .invalidResponse)
        let lines = String(repeating: "data: 0123456789\n", count: 10) + "\n"
        #expect(throws: ProviderError.self, "many small data lines add up") {
            try decode(Array(lines.utf8), chunking: chunking, maximumEventSize: 64)
        }
        #expect(throws: ProviderError.self, "an endless line without a line end") {
            try decode(Array(long.utf8), chunking: chunking, maximumEventSize: 64)
        }
        let fits = "data: \(String(repeating: "y", count: 58))\n\n"
        #expect(try decode(Array(fits.utf8), chunking: chunking, maximumEventSize: 64).first?.data.count == 58)
    }

    @Test("After an oversize event the decoder recovers at the next event")
    func recoversAfterOversize() throws {
        var decoder = ServerSentEventDecoder(maximumEventSize: 32)
        var events: [ServerSentEvent] = []
        #expect(throws: ProviderError.self) {
            try decoder.decode(Array("data: \(String(repeating: "z", count: 40))\n\n".utf8), into: &events)
        }
        try decoder.decode(Array("data: ok\n\n".utf8), into: &events)
        #expect(events == [ServerSentEvent(data: "ok")])
    }
}
