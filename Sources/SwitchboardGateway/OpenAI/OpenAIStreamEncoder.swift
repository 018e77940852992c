import Foundation
import NIOCore
import Switchboard

/// A chat stream as OpenAI's `chat.completion.chunk` server-sent events ending in `data: [DONE]`
/// (wire reference §2.4).
struct OpenAIStreamEncoder: ChatStreamEncoder {
    static let contentType = "text/event-stream"

    var id: String {
        didSet { textChunkSuffix = [] }
    }
    var created: Int
    var model: String {
        didSet { textChunkSuffix = [] }
    }
    let includeUsage: Bool
    /// What follows the text of a text-delta chunk, which differs between chunks only in its text: the
    /// bytes ``chunk(delta:finishReason:)`` writes, kept so each delta is one copy instead of a JSON tree.
    private var textChunkSuffix: [UInt8] = []
    private static let textChunkPrefix = Array(#"data: {"choices":[{"delta":{"content":"#.utf8)
    private var sentRole = false
    private var usage: Usage?
    private var toolCallsSeen: Set<Int> = []

    init(requestID: String, created: Date, model: String, includeUsage: Bool) {
        self.id = "chatcmpl-" + requestID
        self.created = Int(created.timeIntervalSince1970)
        self.model = model
        self.includeUsage = includeUsage
    }

    private func chunk(delta: JSONValue, finishReason: String? = nil) -> JSONValue {
        [
            "id": .string(id), "object": "chat.completion.chunk", "created": .integer(created),
            "model": .string(model), "system_fingerprint": .null,
            "choices": [
                [
                    "index": 0, "delta": delta, "logprobs": .null,
                    "finish_reason": finishReason.map(JSONValue.string) ?? .null,
                ]
            ],
        ]
    }

    private mutating func writeTextChunk(_ text: String, into buffer: inout ByteBuffer) {
        if textChunkSuffix.isEmpty {
            let template = Array(chunk(delta: ["content": ""]).jsonString().utf8)
            let marker = Array(#"{"content":"""#.utf8)
            let start = template.firstRange(of: marker)!.upperBound
            textChunkSuffix = Array(template[start...]) + Array("\n\n".utf8)
        }
        var bytes = Self.textChunkPrefix
        bytes.reserveCapacity(bytes.count + text.utf8.count + textChunkSuffix.count + 8)
        JSONValue.writeQuoted(text, into: &bytes)
        bytes += textChunkSuffix
        buffer.writeBytes(bytes)
    }

    private mutating func role(into buffer: inout ByteBuffer) {
        guard !sentRole else { return }
        sentRole = true
        buffer.writeServerSentEvent(data: chunk(delta: ["role": "assistant", "content": "", "refusal": .null]))
    }

    mutating func encode(_ event: ChatEvent, into buffer: inout ByteBuffer) {
        switch event {
        case .started(let start):
            if let upstream = start.id, !upstream.isEmpty {
                id = OpenAIResponseEncoder.completionID(upstream, fallback: upstream)
            }
            model = start.model
            role(into: &buffer)
        case .textDelta(let text):
            role(into: &buffer)
            writeTextChunk(text, into: &buffer)
        case .toolCallDelta(let delta):
            role(into: &buffer)
            var call: [String: JSONValue] = ["index": .integer(delta.index)]
            var function: [String: JSONValue] = ["arguments": .string(delta.argumentsDelta)]
            if toolCallsSeen.insert(delta.index).inserted {
                call["id"] = .string(delta.id ?? "call_\(delta.index)")
                call["type"] = "function"
                function["name"] = .string(delta.name ?? "")
            }
            call["function"] = .object(function)
            buffer.writeServerSentEvent(data: chunk(delta: ["tool_calls": [.object(call)]]))
        case .usage(let usage):
            self.usage = usage
        case .finish(let finish):
            role(into: &buffer)
            buffer.writeServerSentEvent(
                data: chunk(delta: [:], finishReason: OpenAIResponseEncoder.finishReason(finish.reason)))
        }
    }

    mutating func finish(into buffer: inout ByteBuffer) {
        if includeUsage {
            buffer.writeServerSentEvent(data: [
                "id": .string(id), "object": "chat.completion.chunk", "created": .integer(created),
                "model": .string(model), "system_fingerprint": .null, "choices": [],
                "usage": OpenAIResponseEncoder.usage(usage ?? .zero),
            ])
        }
        buffer.writeString("data: [DONE]\n\n")
    }

    mutating func fail(_ error: GatewayError, into buffer: inout ByteBuffer) {
        buffer.writeServerSentEvent(data: InboundProtocol.openAI.body(for: error))
    }
}
