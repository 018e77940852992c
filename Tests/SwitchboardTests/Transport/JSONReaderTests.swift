import Foundation
import NIOCore
import Testing

@testable import Switchboard

/// The hand-written reader of OpenAI's completion and stream chunk must read exactly what
/// `JSONDecoder` reads, and turn down (so that `JSONDecoder` decides) whatever it is not sure of.
@Suite struct JSONReaderTests {
    typealias Completion = OpenAIWire.ChatCompletion

    static func fast(_ text: String) throws -> Completion {
        try Array(text.utf8).withUnsafeBytes { bytes in
            try JSONReader.read(bytes) { json in try Completion(reading: &json) }
        }
    }

    static func reference(_ text: String) throws -> Completion {
        try JSONDecoder().decode(Completion.self, from: Data(text.utf8))
    }

    /// Both readers' results as text: every field of every nested value, `nil`s included.
    static func same(_ text: String) throws {
        let fast = String(reflecting: try fast(text))
        let reference = String(reflecting: try reference(text))
        #expect(fast == reference, "\(text)")
    }

    @Test(arguments: ["openai-text.sse", "openai-tool-call.sse"])
    func recordedStreamChunksReadAsJSONDecoderReadsThem(fixture: String) throws {
        let text = String(decoding: try Fixtures.bytes(fixture), as: UTF8.self)
        let chunks = text.split(separator: "\n").filter { $0.hasPrefix("data: {") }.map { String($0.dropFirst(6)) }
        #expect(chunks.count >= 4)
        for chunk in chunks { try Self.same(chunk) }
    }

    static let readable: [String] = [
        #"{"id":"c1","model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":3,"prompt_tokens_details":{"cached_tokens":4,"cache_write_tokens":2},"completion_tokens_details":{"reasoning_tokens":1}}}"#,
        #" { "choices" : [ ] , "usage" : null , "id" : null } "#,
        #"{"choices":[{"delta":{"content":"caf\u00e9 \ud83d\ude00 \"q\" \\ \/ \b\f\n\r\t"}}]}"#,
        #"{"choices":[{"delta":{"content":"ünïcödé ✓ 😀"}}]}"#,
        #"{"choices":[{"index":1,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":"{\"a\":1}"}}]}}]}"#,
        #"{"unknown":{"nested":[1,-2.5e10,0.0,true,false,null,"s",{"x":[]}]},"model":"m","extra":-0}"#,
        #"{"mod\u0065l":"escaped key","id":"only"}"#,
        #"{"usage":{"prompt_tokens_details":{},"completion_tokens_details":{"reasoning_tokens":2}}}"#,
        #"{"usage":{"prompt_tokens":-3,"completion_tokens":9223372036854775807,"prompt_tokens_details":null}}"#,
        #"{"choices":[{"message":null,"delta":null,"finish_reason":null,"index":null}],"error":null}"#,
        "{}",
    ]

    @Test(arguments: readable)
    func documentsReadAsJSONDecoderReadsThem(text: String) throws {
        try Self.same(text)
    }

    static let turnedDown: [String] = [
        #"{"choices":[],}"#,
        #"{"choices":[1,]}"#,
        #"{"id":"a" "model":"b"}"#,
        #"{"usage":{"prompt_tokens":01}}"#,
        #"{"usage":{"prompt_tokens":1.0}}"#,
        #"{"usage":{"prompt_tokens":1e2}}"#,
        #"{"usage":{"prompt_tokens":9223372036854775808}}"#,
        #"{"id":5}"#,
        #"{"id":"first","id":"second"}"#,
        #"{"choices":[{"index":0,"index":1}]}"#,
        #"{"usage":{"completion_tokens_details":{},"prompt_tokens_details":{"cached_tokens":1,"cached_tokens":2}}}"#,
        #"{"choices":[null]}"#,
        #"{"choices":{}}"#,
        #"{"id":"\ud83d"}"#,
        #"{"id":"\x"}"#,
        "{\"id\":\"tab\there\"}",
        #"{"error":{"message":"boom","code":429}}"#,
        #"{"id":"a"} x"#,
        #"{"id":"a""#,
        #"{"unknown":[1,2}"#,
        #"{"unknown":-}"#,
        #"{"unknown":.5}"#,
        #"{"unknown":tru}"#,
        #"[]"#,
        "",
        #"{"unknown":"# + String(repeating: "[", count: 300) + String(repeating: "]", count: 300) + "}",
    ]

    /// The reader turns these down; what `ProviderHTTP.decode` then returns is `JSONDecoder`'s answer.
    @Test(arguments: turnedDown)
    func documentsItIsNotSureOfAreLeftToJSONDecoder(text: String) throws {
        #expect(throws: JSONReader.Failure.self) { try Self.fast(text) }
        let decoded = try? ProviderHTTP.decode(Completion.self, from: ByteBuffer(string: text), provider: "openai")
        let reference = try? Self.reference(text)
        #expect(decoded.map { String(reflecting: $0) } == reference.map { String(reflecting: $0) })
    }

    /// `ProviderHTTP.decode` and the gateway ask ``JSONReader/value(_:from:)`` first: a readable type
    /// gets its reader's value, any other type `nil` (JSONDecoder then reads it).
    @Test func readableTypesAreReadByTheirOwnReader() throws {
        let body = Array(#"{"id":"c1","choices":[{"delta":{"content":"x"}}]}"#.utf8)
        let read = body.withUnsafeBytes { JSONReader.value(Completion.self, from: $0) }
        #expect(read?.choices?.first?.delta?.content == "x")
        let list = Array(#"{"data":[{"id":"gpt-4o"}]}"#.utf8)
        #expect(list.withUnsafeBytes { JSONReader.value(OpenAIWire.ModelList.self, from: $0) } == nil)
        #expect(
            body.withUnsafeBytes { JSONReader.value(Completion.self, from: UnsafeRawBufferPointer(rebasing: $0[1...])) }
                == nil)
    }

    @Test func invalidUTF8IsTurnedDown() throws {
        let bytes: [UInt8] = Array(#"{"id":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        #expect(throws: JSONReader.Failure.self) {
            try bytes.withUnsafeBytes { bytes in try JSONReader.read(bytes) { json in try Completion(reading: &json) } }
        }
    }

    @Test func aProviderBodyThatIsNotJSONIsAnInvalidResponse() throws {
        #expect(throws: ProviderError.self) {
            try ProviderHTTP.decode(Completion.self, from: ByteBuffer(string: "<html>"), provider: "openai")
        }
        let fromStream = try ProviderHTTP.decode(
            Completion.self, from: #"{"choices":[{"delta":{"content":"x"}}]}"#, provider: "openai")
        #expect(fromStream.choices?.first?.delta?.content == "x")
    }
}
