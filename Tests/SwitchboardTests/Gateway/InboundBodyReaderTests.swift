import Foundation
import Switchboard
import Testing

@testable import SwitchboardGateway

/// The gateway's hand-written reader of an OpenAI chat request must read exactly what `JSONDecoder`
/// reads, and leave to it whatever it is not sure of.
@Suite struct InboundBodyReaderTests {
    typealias Body = OpenAIChatCompletionBody

    static func fast(_ text: String) throws -> Body {
        try Array(text.utf8).withUnsafeBytes { bytes in
            try JSONReader.read(bytes) { json in try Body(reading: &json) }
        }
    }

    static func reference(_ text: String) throws -> Body {
        try JSONDecoder().decode(Body.self, from: Data(text.utf8))
    }

    static let readable: [String] = [
        #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello"}]}"#,
        #"{"model":"gpt-4o","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}],"stream":true,"stream_options":{"include_usage":true},"temperature":0.7,"top_p":1,"max_tokens":100,"max_completion_tokens":50,"seed":-4,"user":"u-1","n":1,"stop":"END"}"#,
        #"{"messages":[{"role":"user","content":[{"type":"text","text":"What is this?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA","detail":"low"}}]}],"stop":["a","b"],"temperature":1e-3}"#,
        #"{"messages":[{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"weather","arguments":"{\"city\":\"Z\u00fcrich\"}"}}]},{"role":"tool","tool_call_id":"call_1","content":"sunny"}]}"#,
        #"{"messages":[],"tools":null,"tool_choice":null,"response_format":null,"frequency_penalty":0.5,"logprobs":false,"metadata":{"a":[1,{"b":null}]}}"#,
        #"{"messages":[{"role":"user","content":"x"}],"temperature":0.1,"top_p":0.30000000000000004,"stop":null,"stream":null}"#,
    ]

    @Test(arguments: readable)
    func requestsReadAsJSONDecoderReadsThem(text: String) throws {
        #expect(String(reflecting: try Self.fast(text)) == String(reflecting: try Self.reference(text)))
    }

    static let turnedDown: [String] = [
        #"{"model":"m"}"#,
        #"{"messages":[{"content":"no role"}]}"#,
        #"{"messages":[{"role":"user","content":5}]}"#,
        #"{"messages":[{"role":"user","content":[{"text":"no type"}]}]}"#,
        #"{"messages":[{"role":"assistant","tool_calls":[{"id":"c","function":{"arguments":"{}"}}]}]}"#,
        #"{"messages":[{"role":"assistant","tool_calls":[{"function":{"name":"f"}}]}]}"#,
        #"{"messages":[{"role":"assistant","tool_calls":[{"id":"c","function":null}]}]}"#,
        #"{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{}}]}]}"#,
        #"{"messages":[{"role":"user","role":"system"}]}"#,
        #"{"messages":[],"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}]}"#,
        #"{"messages":[],"tool_choice":"auto"}"#,
        #"{"messages":[],"response_format":{"type":"json_object"}}"#,
        #"{"messages":[],"stream":1}"#,
        #"{"messages":[],"max_tokens":1.5}"#,
        #"{"messages":[],"temperature":1e400}"#,
        #"{"messages":[],"model":"a","model":"b"}"#,
        #"{"messages":[],"stop":[1]}"#,
        #"{"messages":[{"role":"user","content":"x"},]}"#,
    ]

    /// The reader turns these down; the gateway then answers with `JSONDecoder`'s value or its 400.
    @Test(arguments: turnedDown)
    func requestsItIsNotSureOfAreLeftToJSONDecoder(text: String) throws {
        #expect(throws: JSONReader.Failure.self) { try Self.fast(text) }
    }
}
