import Foundation
import NIOCore
import Switchboard
import Testing

@testable import SwitchboardGateway

/// Text deltas are written from a cached template; the bytes must be what the JSON tree would give.
@Suite struct OpenAIStreamEncoderTests {
    func expectedChunk(id: String, created: Int, model: String, text: String) -> String {
        let chunk: JSONValue = [
            "id": .string(id), "object": "chat.completion.chunk", "created": .integer(created),
            "model": .string(model), "system_fingerprint": .null,
            "choices": [["index": 0, "delta": ["content": .string(text)], "logprobs": .null, "finish_reason": .null]],
        ]
        return "data: " + chunk.jsonString() + "\n\n"
    }

    @Test func textDeltasAreByteForByteTheJSONChunkAcrossAModelChange() {
        var encoder = OpenAIStreamEncoder(
            requestID: "abc", created: Date(timeIntervalSince1970: 1_790_000_000), model: "auto",
            includeUsage: false)
        var buffer = ByteBuffer()
        encoder.encode(.started(StreamStart(provider: .openAI, model: "gpt-4o-mini")), into: &buffer)
        buffer.clear()
        let texts = ["Hello", " \"quoted\" \\ line\nbreak\u{01}", "ünïcødé 👋", ""]
        for text in texts.prefix(2) { encoder.encode(.textDelta(text), into: &buffer) }
        encoder.encode(
            .started(StreamStart(id: "chatcmpl-upstream", provider: .openAI, model: "gpt-4o")), into: &buffer)
        for text in texts.suffix(2) { encoder.encode(.textDelta(text), into: &buffer) }

        let expected =
            texts.prefix(2).map {
                expectedChunk(id: "chatcmpl-abc", created: 1_790_000_000, model: "gpt-4o-mini", text: $0)
            }.joined()
            + texts.suffix(2).map {
                expectedChunk(id: "chatcmpl-upstream", created: 1_790_000_000, model: "gpt-4o", text: $0)
            }.joined()
        #expect(String(buffer: buffer) == expected)
    }
}
