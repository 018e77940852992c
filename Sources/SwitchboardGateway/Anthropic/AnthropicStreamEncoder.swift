import NIOCore
import Switchboard

/// A chat stream as Anthropic's named server-sent events: `message_start`, per content block
/// `content_block_start` / `content_block_delta` / `content_block_stop`, `message_delta` with the usage,
/// `message_stop` (wire reference §3.4).
struct AnthropicStreamEncoder: ChatStreamEncoder {
    static let contentType = "text/event-stream"

    private enum OpenBlock: Equatable {
        case text
        case tool(callIndex: Int)
    }

    private var id: String
    private var model: String
    private var started = false
    private var stopped = false
    private var nextIndex = 0
    private var open: OpenBlock?
    private var usage: Usage?

    init(requestID: String, model: String) {
        self.id = "msg_" + requestID
        self.model = model
    }

    private mutating func start(into buffer: inout ByteBuffer) {
        guard !started else { return }
        started = true
        buffer.writeServerSentEvent(
            name: "message_start",
            data: [
                "type": "message_start",
                "message": [
                    "id": .string(id), "type": "message", "role": "assistant", "content": [], "model": .string(model),
                    "stop_reason": .null, "stop_sequence": .null,
                    "usage": AnthropicResponseEncoder.usage(usage ?? Usage(outputTokens: 1)),
                ],
            ])
    }

    private mutating func closeBlock(into buffer: inout ByteBuffer) {
        guard open != nil else { return }
        open = nil
        buffer.writeServerSentEvent(
            name: "content_block_stop", data: ["type": "content_block_stop", "index": .integer(nextIndex - 1)])
    }

    private mutating func openBlock(_ block: OpenBlock, content: JSONValue, into buffer: inout ByteBuffer) {
        closeBlock(into: &buffer)
        open = block
        buffer.writeServerSentEvent(
            name: "content_block_start",
            data: ["type": "content_block_start", "index": .integer(nextIndex), "content_block": content])
        nextIndex += 1
    }

    private func delta(_ delta: JSONValue, into buffer: inout ByteBuffer) {
        buffer.writeServerSentEvent(
            name: "content_block_delta",
            data: ["type": "content_block_delta", "index": .integer(nextIndex - 1), "delta": delta])
    }

    mutating func encode(_ event: ChatEvent, into buffer: inout ByteBuffer) {
        switch event {
        case .started(let start):
            if !started {
                id = AnthropicResponseEncoder.messageID(start.id, fallback: id)
                model = start.model
            }
            self.start(into: &buffer)
        case .textDelta(let text):
            start(into: &buffer)
            if open != .text { openBlock(.text, content: ["type": "text", "text": ""], into: &buffer) }
            delta(["type": "text_delta", "text": .string(text)], into: &buffer)
        case .toolCallDelta(let call):
            start(into: &buffer)
            if open != .tool(callIndex: call.index) {
                openBlock(
                    .tool(callIndex: call.index),
                    content: [
                        "type": "tool_use", "id": .string(call.id ?? "toolu_\(call.index)"),
                        "name": .string(call.name ?? ""),
                        "input": [:],
                    ],
                    into: &buffer)
            }
            delta(["type": "input_json_delta", "partial_json": .string(call.argumentsDelta)], into: &buffer)
        case .usage(let usage):
            self.usage = usage
        case .finish(let finish):
            stop(reason: AnthropicResponseEncoder.stopReason(finish.reason), into: &buffer)
        }
    }

    private mutating func stop(reason: String, into buffer: inout ByteBuffer) {
        guard !stopped else { return }
        start(into: &buffer)
        closeBlock(into: &buffer)
        stopped = true
        buffer.writeServerSentEvent(
            name: "message_delta",
            data: [
                "type": "message_delta", "delta": ["stop_reason": .string(reason), "stop_sequence": .null],
                "usage": AnthropicResponseEncoder.usage(usage ?? .zero),
            ])
        buffer.writeServerSentEvent(name: "message_stop", data: ["type": "message_stop"])
    }

    mutating func finish(into buffer: inout ByteBuffer) {
        stop(reason: "end_turn", into: &buffer)
    }

    mutating func fail(_ error: GatewayError, into buffer: inout ByteBuffer) {
        buffer.writeServerSentEvent(name: "error", data: InboundProtocol.anthropic.body(for: error))
    }
}
