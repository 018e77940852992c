import Foundation
import NIOCore
import Testing

@testable import Switchboard

/// The real recorded streams of the wire reference decode to exactly the expected text, tool
/// arguments and usage, however the bytes are split and whatever the line ends.
@Suite struct RecordedStreamTests {
    enum Chunking: CustomStringConvertible, CaseIterable {
        case whole, byteAtATime, random1, random2, random3

        var description: String {
            switch self {
            case .whole: "whole"
            case .byteAtATime: "one byte at a time"
            case .random1: "random chunks (seed 1)"
            case .random2: "random chunks (seed 2)"
            case .random3: "random chunks (seed 3)"
            }
        }

        func split(_ bytes: [UInt8]) -> [[UInt8]] {
            switch self {
            case .whole: return [bytes]
            case .byteAtATime: return bytes.map { [$0] }
            case .random1, .random2, .random3:
                let seed: UInt64 = self == .random1 ? 1 : self == .random2 ? 2 : 3
                var generator = SeededGenerator(seed: seed)
                var chunks: [[UInt8]] = []
                var index = 0
                while index < bytes.count {
                    let size = Int.random(in: 1...64, using: &generator)
                    chunks.append(Array(bytes[index..<min(bytes.count, index + size)]))
                    index += size
                }
                return chunks
            }
        }
    }

    enum LineEnd: String, CaseIterable, CustomStringConvertible {
        case lf = "\n", crlf = "\r\n", cr = "\r"
        var description: String { self == .lf ? "LF" : self == .crlf ? "CRLF" : "CR" }
    }

    static func fixture(_ name: String, lineEnd: LineEnd) throws -> [UInt8] {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
        let text = try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: "\r\n", with: "\n")
        return Array(text.replacingOccurrences(of: "\n", with: lineEnd.rawValue).utf8)
    }

    static func decode<Mapper: StreamEventMapper>(
        _ bytes: [UInt8], chunking: Chunking, mapper: Mapper
    ) throws -> ChatResponse where Mapper.Frame == ServerSentEvent {
        var decoder = ServerSentEventDecoder()
        var mapper = mapper
        var frames: [ServerSentEvent] = []
        var events: [ChatEvent] = []
        for chunk in chunking.split(bytes) {
            try decoder.decode(ByteBuffer(bytes: chunk), into: &frames)
        }
        decoder.finish(into: &frames)
        for frame in frames { try mapper.map(frame, into: &events) }
        try mapper.finish(into: &events)
        var accumulator = ChatResponseAccumulator()
        if case .started = events.first {} else {
            accumulator.add(.started(StreamStart(provider: .openAI, model: "recorded")))
        }
        for event in events { accumulator.add(event) }
        return try accumulator.response()
    }

    static let openAIMapper = OpenAIStreamMapper(provider: .openAI, secrets: [], requestID: nil)
    static let anthropicMapper = AnthropicStreamMapper(
        provider: .anthropic, secrets: [], requestID: nil, requestedModel: "recorded", rateLimit: nil)

    @Test(arguments: Chunking.allCases, LineEnd.allCases)
    func openAIText(chunking: Chunking, lineEnd: LineEnd) throws {
        let response = try Self.decode(
            try Self.fixture("openai-text.sse", lineEnd: lineEnd), chunking: chunking, mapper: Self.openAIMapper)
        #expect(response.text == "{\"")
        #expect(response.finishReason == .length)
        #expect(response.usage == Usage(inputTokens: 79, outputTokens: 1))
    }

    @Test(arguments: Chunking.allCases, LineEnd.allCases)
    func openAIToolCall(chunking: Chunking, lineEnd: LineEnd) throws {
        let response = try Self.decode(
            try Self.fixture("openai-tool-call.sse", lineEnd: lineEnd), chunking: chunking, mapper: Self.openAIMapper)
        #expect(response.toolCalls == [ToolCall(id: "call_4XzlGBLtUe9dy3GVNV4jhq7h", name: "get_weather", arguments: #"{"city":"New York City"}"#)])
        #expect(response.finishReason == .toolCalls)
        #expect(response.usage == Usage(inputTokens: 44, outputTokens: 16))
    }

    @Test(arguments: Chunking.allCases, LineEnd.allCases)
    func anthropicText(chunking: Chunking, lineEnd: LineEnd) throws {
        let response = try Self.decode(
            try Self.fixture("anthropic-text.sse", lineEnd: lineEnd), chunking: chunking, mapper: Self.anthropicMapper)
        #expect(response.text == "Hello there!")
        #expect(response.finishReason == .stop)
        #expect(response.id == "msg_4QpJur2dWWDjF6C758FbBw5vm12BaVipnK")
        #expect(response.model == "claude-3-opus-latest")
        #expect(response.usage == Usage(inputTokens: 11, outputTokens: 6))
    }

    @Test(arguments: Chunking.allCases, LineEnd.allCases)
    func anthropicToolUse(chunking: Chunking, lineEnd: LineEnd) throws {
        let response = try Self.decode(
            try Self.fixture("anthropic-tool-use.sse", lineEnd: lineEnd), chunking: chunking,
            mapper: Self.anthropicMapper)
        #expect(response.toolCalls == [ToolCall(id: "toolu_01NRLabsLyVHZPKxbKvkfSMn", name: "get_weather", arguments: #"{"location": "Paris"}"#)])
        #expect(response.toolCalls.first?.parsedArguments == ["location": "Paris"])
        #expect(response.finishReason == .toolCalls)
        #expect(response.usage == Usage(inputTokens: 377, outputTokens: 65))
    }

    @Test func cutRecordedStreamIsInterruptedNotFinished() throws {
        let bytes = try Self.fixture("anthropic-text.sse", lineEnd: .lf)
        let cut = Array(bytes.prefix(bytes.count / 2))
        #expect {
            _ = try Self.decode(cut, chunking: .whole, mapper: Self.anthropicMapper)
        } throws: { error in
            (error as? ProviderError)?.kind == .streamInterrupted
        }
    }
}
