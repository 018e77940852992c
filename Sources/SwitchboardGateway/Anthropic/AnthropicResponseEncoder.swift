import Foundation
import Switchboard

/// Core responses in Anthropic's Messages shapes (wire reference §3.3, §3.7).
enum AnthropicResponseEncoder {
    static func stopReason(_ reason: FinishReason) -> String {
        switch reason {
        case .length: "max_tokens"
        case .toolCalls: "tool_use"
        case .stopSequence: "stop_sequence"
        case .contentFilter: "refusal"
        case .paused: "pause_turn"
        default: "end_turn"
        }
    }

    static func usage(_ usage: Usage) -> JSONValue {
        [
            "input_tokens": .integer(usage.inputTokens),
            "cache_creation_input_tokens": .integer(usage.cacheWriteTokens),
            "cache_read_input_tokens": .integer(usage.cacheReadTokens),
            "output_tokens": .integer(usage.outputTokens),
        ]
    }

    static func messageID(_ id: String?, fallback: String) -> String {
        guard let id, !id.isEmpty else { return "msg_" + fallback }
        return id.hasPrefix("msg_") ? id : "msg_" + id
    }

    static func toolInput(_ arguments: String) -> JSONValue {
        (try? JSONValue.parse(arguments)) ?? [:]
    }

    static func message(_ response: ChatResponse, requestID: String) -> JSONValue {
        var content: [JSONValue] = []
        let text = response.text
        if !text.isEmpty { content.append(["type": "text", "text": .string(text)]) }
        for call in response.toolCalls {
            content.append([
                "type": "tool_use", "id": .string(call.id), "name": .string(call.name),
                "input": toolInput(call.arguments),
            ])
        }
        return [
            "id": .string(messageID(response.id, fallback: requestID)), "type": "message", "role": "assistant",
            "model": .string(response.model), "content": .array(content),
            "stop_reason": .string(stopReason(response.finishReason)), "stop_sequence": .null,
            "usage": usage(response.usage ?? .zero),
        ]
    }

    static func models(_ models: [ModelInfo], created: Date) -> JSONValue {
        let formatter = ISO8601DateFormatter()
        var seen: Set<String> = []
        let data: [JSONValue] = models.compactMap { model in
            guard seen.insert(model.id).inserted else { return nil }
            return [
                "type": "model", "id": .string(model.id), "display_name": .string(model.displayName ?? model.id),
                "created_at": .string(formatter.string(from: model.createdAt ?? created)),
            ]
        }
        return [
            "data": .array(data), "has_more": false,
            "first_id": data.first?["id"] ?? .null, "last_id": data.last?["id"] ?? .null,
        ]
    }
}
