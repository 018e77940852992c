import Switchboard

/// Renders a resolved reply as an Anthropic message or event stream (wire reference §3.3, §3.4).
struct AnthropicMessageRenderer: Sendable {
    var reply: ResolvedReply
    var id: String

    /// Input-side usage: `input_tokens` excludes cache reads and writes.
    private var inputUsage: [String: JSONValue] {
        [
            "input_tokens": .integer(reply.inputTokens),
            "cache_creation_input_tokens": .integer(reply.cacheWriteTokens),
            "cache_read_input_tokens": .integer(reply.cachedInputTokens),
        ]
    }

    /// The full `usage` object.
    var usage: JSONValue {
        var usage = inputUsage
        usage["cache_creation"] = [
            "ephemeral_5m_input_tokens": .integer(reply.cacheWriteTokens), "ephemeral_1h_input_tokens": 0,
        ]
        usage["output_tokens"] = .integer(reply.outputTokens)
        usage["service_tier"] = "standard"
        return .object(usage)
    }

    /// Whether the message has a text block: when it has text, or nothing else.
    private var hasTextBlock: Bool { !reply.text.isEmpty || reply.toolCalls.isEmpty }

    private func message(content: [JSONValue], stopReason: JSONValue, usage: JSONValue) -> JSONValue {
        [
            "id": .string(id),
            "type": "message",
            "role": "assistant",
            "model": .string(reply.model),
            "content": .array(content),
            "stop_reason": stopReason,
            "stop_sequence": nil,
            "usage": usage,
        ]
    }

    /// The non-streaming message body; a tool call's `input` is its parsed arguments (`{}` when invalid).
    func fullMessage() -> JSONValue {
        var content: [JSONValue] = []
        if hasTextBlock { content.append(["type": "text", "text": .string(reply.text)]) }
        for call in reply.toolCalls {
            var input = (try? JSONValue.parse(call.arguments)) ?? [:]
            if case .object = input {} else { input = [:] }
            content.append(["type": "tool_use", "id": .string(call.id), "name": .string(call.name), "input": input])
        }
        return message(content: content, stopReason: .string(reply.finishReason), usage: usage)
    }

    /// The event stream: `message_start`, a `ping`, each block's start/deltas/stop, `message_delta`
    /// with cumulative usage, `message_stop`.
    func streamEvents() -> [[UInt8]] {
        var events: [[UInt8]] = []
        func send(_ name: String, _ payload: JSONValue) {
            events.append(ServerSentEvents.event(name, payload.jsonString()))
        }
        var startUsage = inputUsage
        startUsage["output_tokens"] = 1
        startUsage["service_tier"] = "standard"
        send(
            "message_start",
            ["type": "message_start", "message": message(content: [], stopReason: nil, usage: .object(startUsage))])

        var index = 0
        var pinged = false
        func ping() {
            guard !pinged else { return }
            pinged = true
            send("ping", ["type": "ping"])
        }
        if hasTextBlock {
            send(
                "content_block_start",
                [
                    "type": "content_block_start", "index": .integer(index),
                    "content_block": ["type": "text", "text": ""],
                ])
            ping()
            for piece in reply.text.simulatorChunks(of: reply.chunkSize) {
                send(
                    "content_block_delta",
                    [
                        "type": "content_block_delta", "index": .integer(index),
                        "delta": ["type": "text_delta", "text": .string(piece)],
                    ])
            }
            send("content_block_stop", ["type": "content_block_stop", "index": .integer(index)])
            index += 1
        }
        for call in reply.toolCalls {
            send(
                "content_block_start",
                [
                    "type": "content_block_start", "index": .integer(index),
                    "content_block": [
                        "type": "tool_use", "id": .string(call.id), "name": .string(call.name), "input": [:],
                    ],
                ])
            ping()
            for piece in [""] + call.arguments.simulatorChunks(of: reply.chunkSize) {
                send(
                    "content_block_delta",
                    [
                        "type": "content_block_delta", "index": .integer(index),
                        "delta": ["type": "input_json_delta", "partial_json": .string(piece)],
                    ])
            }
            send("content_block_stop", ["type": "content_block_stop", "index": .integer(index)])
            index += 1
        }
        var finalUsage = inputUsage
        finalUsage["output_tokens"] = .integer(reply.outputTokens)
        send(
            "message_delta",
            [
                "type": "message_delta", "delta": ["stop_reason": .string(reply.finishReason), "stop_sequence": nil],
                "usage": .object(finalUsage),
            ])
        send("message_stop", ["type": "message_stop"])
        return events
    }
}
