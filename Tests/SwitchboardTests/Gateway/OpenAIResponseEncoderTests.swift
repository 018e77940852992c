import Foundation
import Switchboard
import Testing

@testable import SwitchboardGateway

/// The whole-answer body is written straight into bytes; they must be what the JSON tree of OpenAI's
/// `chat.completion` object gives.
@Suite struct OpenAIResponseEncoderTests {
    func expected(_ response: ChatResponse, requestID: String, created: Int) -> String {
        var message: [String: JSONValue] = [
            "role": "assistant", "refusal": .null, "annotations": [],
            "content": response.text.isEmpty && !response.toolCalls.isEmpty ? .null : .string(response.text),
        ]
        if !response.toolCalls.isEmpty {
            message["tool_calls"] = .array(
                response.toolCalls.map { call in
                    [
                        "id": .string(call.id), "type": "function",
                        "function": ["name": .string(call.name), "arguments": .string(call.arguments)],
                    ]
                })
        }
        var body: [String: JSONValue] = [
            "id": .string(OpenAIResponseEncoder.completionID(response.id, fallback: requestID)),
            "object": "chat.completion", "created": .integer(created), "model": .string(response.model),
            "system_fingerprint": .null,
            "choices": [
                [
                    "index": 0, "message": .object(message), "logprobs": .null,
                    "finish_reason": .string(OpenAIResponseEncoder.finishReason(response.finishReason)),
                ]
            ],
        ]
        if let usage = response.usage {
            body["usage"] = [
                "prompt_tokens": .integer(usage.totalInputTokens), "completion_tokens": .integer(usage.outputTokens),
                "total_tokens": .integer(usage.totalTokens),
                "prompt_tokens_details": ["cached_tokens": .integer(usage.cacheReadTokens)],
                "completion_tokens_details": ["reasoning_tokens": .integer(usage.reasoningTokens)],
            ]
        }
        return JSONValue.object(body).jsonString()
    }

    static let responses: [ChatResponse] = [
        ChatResponse(
            id: "chatcmpl-1", message: .assistant("Hello!"), finishReason: .stop,
            usage: Usage(inputTokens: 9, cacheReadTokens: 3, outputTokens: 12, reasoningTokens: 4),
            provider: .openAI, model: "gpt-4o-mini"),
        ChatResponse(
            id: nil, message: .assistant(" \"quoted\" \\ line\nbreak\u{01}\t ünïcødé 👋"), finishReason: .length,
            usage: nil, provider: .anthropic, model: "claude-\"odd\"-model"),
        ChatResponse(
            id: "msg_01",
            message: .assistant(
                "",
                toolCalls: [
                    ToolCall(id: "call_1", name: "get_weather", arguments: #"{"city":"Paris"}"#),
                    ToolCall(id: "call_2", name: "lookup", arguments: "{\n\"q\":\"\\u00e9\"}"),
                ]), finishReason: .toolCalls,
            usage: Usage(inputTokens: 1, outputTokens: 2), provider: .openAI, model: "gpt-4o"),
        ChatResponse(
            id: "", message: .assistant("text and a call", toolCalls: [ToolCall(id: "c", name: "f", arguments: "{}")]),
            finishReason: .contentFilter, usage: .zero, provider: .ollama, model: ""),
    ]

    @Test(arguments: responses)
    func theBodyIsByteForByteTheJSONTree(response: ChatResponse) throws {
        let created = 1_790_000_000
        let bytes = OpenAIResponseEncoder.chatCompletion(
            response, requestID: "req9", created: Date(timeIntervalSince1970: TimeInterval(created)))
        #expect(String(decoding: bytes, as: UTF8.self) == expected(response, requestID: "req9", created: created))
        #expect(try JSONSerialization.jsonObject(with: Data(bytes)) is [String: Any])
    }
}
