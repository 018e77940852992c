import NIOCore
import Switchboard
import Testing

/// Decodes `bytes` delivered as `chunking` says, including `finish`, as strings.
private func decodeLines(
    _ bytes: [UInt8],
    chunking: Chunking = .whole,
    maximumLineSize: Int = 16 * 1024 * 1024
) throws -> [String] {
    var decoder = JSONLinesDecoder(maximumLineSize: maximumLineSize)
    var lines: [[UInt8]] = []
    for chunk in chunking.chunks(of: bytes) {
        try decoder.decode(chunk, into: &lines)
    }
    decoder.finish(into: &lines)
    return lines.map { String(decoding: $0, as: UTF8.self) }
}

private func decodeLines(_ text: String, chunking: Chunking = .whole) throws -> [String] {
    try decodeLines(Array(text.utf8), chunking: chunking)
}

/// Shaped like Ollama's `/api/chat` stream.
private let ollamaStream = """
    {"model":"llama3.2","created_at":"2024-07-22T20:33:28.123Z","message":{"role":"assistant","content":"Hé"},"done":false}
    {"model":"llama3.2","created_at":"2024-07-22T20:33:28.223Z","message":{"role":"assistant","content":"llo 🌍 世界"},"done":false}
    {"model":"llama3.2","created_at":"2024-07-22T20:33:28.323Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","eval_count":2}

    """

@Suite("JSONLinesDecoder")
struct JSONLinesDecoderTests {
    @Test("LF and CRLF give the same lines under every chunking", arguments: [LineEnding.lf, .crlf])
    func lineEndings(_ ending: LineEnding) throws {
        let bytes = ending.apply(to: Array(ollamaStream.utf8))
        let expected = ollamaStream.split(separator: "\n").map(String.init)
        #expect(expected.count == 3)
        for chunking in Chunking.all {
            #expect(try decodeLines(bytes, chunking: chunking) == expected, "\(chunking)")
        }
    }

    @Test("A final line without a newline is returned by finish")
    func missingFinalNewline() throws {
        var decoder = JSONLinesDecoder()
        var lines: [[UInt8]] = []
        try decoder.decode(ByteBuffer(string: "{\"a\":1}\n{\"b\":"), into: &lines)
        #expect(lines == [Array("{\"a\":1}".utf8)])
        try decoder.decode(ByteBuffer(string: "2}"), into: &lines)
        #expect(lines.count == 1)
        decoder.finish(into: &lines)
        #expect(lines == [Array("{\"a\":1}".utf8), Array("{\"b\":2}".utf8)])
        #expect(try decodeLines("{}\r\n[]\r") == ["{}", "[]"], "a final CR is dropped too")
    }

    @Test("Blank lines are skipped", arguments: Chunking.all)
    func blankLines(_ chunking: Chunking) throws {
        #expect(
            try decodeLines("\n\n{\"a\":1}\n\r\n  \n\t\r\n{\"b\":2}\n\n", chunking: chunking) == [
                "{\"a\":1}", "{\"b\":2}",
            ])
        #expect(try decodeLines("", chunking: chunking) == [])
        #expect(try decodeLines("   ", chunking: chunking) == [])
    }

    @Test("CR and LF split across chunks")
    func crlfSplitAcrossChunks() throws {
        var decoder = JSONLinesDecoder()
        var lines: [[UInt8]] = []
        try decoder.decode(Array("1\r".utf8), into: &lines)
        try decoder.decode(Array("\n2\r".utf8), into: &lines)
        try decoder.decode(Array("\n".utf8), into: &lines)
        decoder.finish(into: &lines)
        #expect(lines == [[0x31], [0x32]])
    }

    @Test("Multi-byte UTF-8 split at every byte offset")
    func utf8SplitEverywhere() throws {
        let line = #"{"content":"héllo 🌍 世界"}"#
        let bytes = Array("\(line)\n\(line)".utf8)
        for offset in 0...bytes.count {
            var decoder = JSONLinesDecoder()
            var lines: [[UInt8]] = []
            try decoder.decode(ByteBuffer(bytes: bytes[..<offset]), into: &lines)
            try decoder.decode(ByteBuffer(bytes: bytes[offset...]), into: &lines)
            decoder.finish(into: &lines)
            #expect(lines.map { String(decoding: $0, as: UTF8.self) } == [line, line], "split at \(offset)")
        }
    }

    @Test("A line longer than the maximum throws", arguments: [Chunking.whole, .bytes, .random(seed: 5, maximum: 4)])
    func oversizeLine(_ chunking: Chunking) throws {
        let long = Array(String(repeating: "x", count: 40).utf8)
        let error = #expect(throws: ProviderError.self) {
            try decodeLines(long + [0x0A], chunking: chunking, maximumLineSize: 16)
        }
        #expect(error?.kind == .invalidResponse)
        #expect(throws: ProviderError.self, "without a line end") {
            try decodeLines(long, chunking: chunking, maximumLineSize: 16)
        }
        let exact = Array(String(repeating: "y", count: 16).utf8)
        #expect(try decodeLines(exact + [0x0D, 0x0A], chunking: chunking, maximumLineSize: 16).first?.count == 16)
    }
}
