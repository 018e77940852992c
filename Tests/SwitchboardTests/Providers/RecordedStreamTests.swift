import Foundation
import NIOCore
import Testing

@testable import Switchboard

/// The real recorded streams of the wire reference decode to exactly the expected text, tool
/// arguments and usage, however the bytes are split and whatever the line ends.
@Suite struct RecordedStreamTests {
    static func fixture(_ name: String, lineEnd: LineEnding) throws -> [UInt8] {
        try lineEnd.apply(to: Fixtures.bytes(name))
    }

    static func decode<Mapper: StreamEventMapper>(
        _ bytes: [UInt8], chunking: Chunking, mapper: Mapper
    ) throws -> ChatResponse where Mapper.Frame == ServerSentEvent {
        var decoder = ServerSentEventDecoder()
        var mapper = mapper
        var frames: [ServerSentEvent] = []
        var events: [ChatEvent] = []
        for chunk in chunking.chunks(of: bytes) {
            try decoder.decode(chunk, into: &frames)
        }
        decoder.finish(into: &frames)
        for frame in frames { try mapper.map(frame, into: &events) }
        try mapper.finish(into: &events)
        var accumulator = ChatResponseAccumulator()
        if case .started = events.first {
        } else {
            accumulator.add(.started(StreamStart(provider: .openAI, model: "recorded")))
        }
        for event in events { accumulator.add(event) }
        return try accumulator.response()
    }

    static let openAIMapper = OpenAIStreamMapper(provider: .openAI, secrets: [], requestID: nil)
    static let anthropicMapper = AnthropicStreamMapper(
        provider: .anthropic, secrets: [], requestID: nil, requestedModel: "recorded", rateLimit: nil)

    @Test(arguments: Chunking.all, LineEnding.allCases)
    func openAIText(chunking: Chunking, lineEnd: LineEnding) throws {
        let response = try Self.decode(
            try Self.fixture("openai-text.sse", lineEnd: lineEnd), chunking: chunking, mapper: Self.openAIMapper)
        #expect(response.text == "{\"")
        #expect(response.finishReason == .length)
        #expect(response.usage == Usage(inputTokens: 79, outputTokens: 1))
    }

    @Test(arguments: Chunking.all, LineEnding.allCases)
    func openAIToolCall(chunking: Chunking, lineEnd: LineEnding) throws {
        let response = try Self.decode(
            try Self.fixture("openai-tool-call.sse", lineEnd: lineEnd), chunking: chunking, mapper: Self.openAIMapper)
        #expect(
            response.toolCalls == [
                ToolCall(
                    id: "call_4XzlGBLtUe9dy3GVNV4jhq7h", name: "get_weather", arguments: #"{"city":"New York City"}"#)
            ])
        #expect(response.finishReason == .toolCalls)
        #expect(response.usage == Usage(inputTokens: 44, outputTokens: 16))
    }

    @Test(arguments: Chunking.all, LineEnding.allCases)
    func anthropicText(chunking: Chunking, lineEnd: LineEnding) throws {
        let response = try Self.decode(
            try Self.fixture("anthropic-text.sse", lineEnd: lineEnd), chunking: chunking, mapper: Self.anthropicMapper)
        #expect(response.text == "Hello there!")
        #expect(response.finishReason == .stop)
        #expect(response.id == "msg_4QpJur2dWWDjF6C758FbBw5vm12BaVipnK")
        #expect(response.model == "claude-3-opus-latest")
        #expect(response.usage == Usage(inputTokens: 11, outputTokens: 6))
    }

    @Test(arguments: Chunking.all, LineEnding.allCases)
    func anthropicToolUse(chunking: Chunking, lineEnd: LineEnding) throws {
        let response = try Self.decode(
            try Self.fixture("anthropic-tool-use.sse", lineEnd: lineEnd), chunking: chunking,
            mapper: Self.anthropicMapper)
        #expect(
            response.toolCalls == [
                ToolCall(
                    id: "toolu_01NRLabsLyVHZPKxbKvkfSMn", name: "get_weather", arguments: #"{"location": "Paris"}"#)
            ])
        #expect(response.toolCalls.first?.parsedArguments == ["location": "Paris"])
        #expect(response.finishReason == .toolCalls)
        #expect(response.usage == Usage(inputTokens: 377, outputTokens: 65))
    }

    static let geminiMapper = GeminiStreamMapper(provider: .gemini, secrets: [])

    /// Gemini's native SSE separates events with CRLF; every line-end style and chunking must agree.
    @Test(arguments: Chunking.all, LineEnding.allCases)
    func geminiText(chunking: Chunking, lineEnd: LineEnding) throws {
        let response = try Self.decode(
            try Self.fixture("gemini-text.sse", lineEnd: lineEnd), chunking: chunking, mapper: Self.geminiMapper)
        #expect(response.text == "Hello! How can I help you today?")
        #expect(response.finishReason == .stop)
        #expect(response.providerFinishReason == "STOP")
        #expect(response.usage == Usage(inputTokens: 7, outputTokens: 9))
    }

    /// Gemini 2.5+ attach a `thoughtSignature` to function-call parts; it must survive into the tool call
    /// so it can be sent back.
    @Test func geminiThoughtSignatureIsKept() throws {
        let stream = """
            data: {"candidates": [{"content": {"parts": [{"functionCall": {"name": "get_weather", "args": {"city": "Paris"}}, \
            "thoughtSignature": "CiQBVKhc"}], "role": "model"}, "finishReason": "STOP"}], \
            "usageMetadata": {"promptTokenCount": 12, "candidatesTokenCount": 5, "thoughtsTokenCount": 30}}


            """
        let response = try Self.decode(Array(stream.utf8), chunking: .whole, mapper: Self.geminiMapper)
        #expect(response.toolCalls.first?.signature == "CiQBVKhc")
        #expect(response.toolCalls.first?.parsedArguments == ["city": "Paris"])
        #expect(response.finishReason == .toolCalls)
        #expect(response.usage == Usage(inputTokens: 12, outputTokens: 35, reasoningTokens: 30))
    }

    @Test func cutRecordedStreamIsInterruptedNotFinished() throws {
        let bytes = try Self.fixture("anthropic-text.sse", lineEnd: LineEnding.lf)
        let cut = Array(bytes.prefix(bytes.count / 2))
        #expect {
            _ = try Self.decode(cut, chunking: .whole, mapper: Self.anthropicMapper)
        } throws: { error in
            (error as? ProviderError)?.kind == .streamInterrupted
        }
    }
}
