import Foundation
import Switchboard

/// Core responses in Ollama's native shapes (wire reference §5.2, §5.3, §5.5).
enum OllamaResponseEncoder {
    /// Whether the reply is a `/api/chat` `message` or a `/api/generate` `response`.
    enum Shape: Sendable {
        case chat, generate
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    static func doneReason(_ reason: FinishReason) -> String {
        reason == .length ? "length" : "stop"
    }

    static func toolCalls(_ calls: [ToolCall]) -> JSONValue {
        .array(
            calls.enumerated().map { index, call in
                [
                    "id": .string(call.id),
                    "function": [
                        "index": .integer(index), "name": .string(call.name),
                        "arguments": AnthropicResponseEncoder.toolInput(call.arguments),
                    ],
                ]
            })
    }

    /// The fields of the last object: `done`, `done_reason` and the counts and durations (nanoseconds).
    static func final(
        _ object: inout [String: JSONValue], reason: FinishReason, usage: Usage?, performance: GenerationPerformance?,
        latency: Duration?
    ) {
        object["done"] = true
        object["done_reason"] = .string(doneReason(reason))
        let total = performance?.totalTime ?? latency ?? .zero
        object["total_duration"] = .integer(Int(total.nanoseconds))
        object["load_duration"] = .integer(Int((performance?.loadTime ?? .zero).nanoseconds))
        object["prompt_eval_count"] = .integer(usage?.totalInputTokens ?? performance?.promptTokens ?? 0)
        object["prompt_eval_duration"] = .integer(Int((performance?.promptTime ?? .zero).nanoseconds))
        object["eval_count"] = .integer(usage?.outputTokens ?? performance?.generatedTokens ?? 0)
        object["eval_duration"] = .integer(Int((performance?.generationTime ?? .zero).nanoseconds))
    }

    static func reply(_ response: ChatResponse, shape: Shape, created: Date) -> JSONValue {
        var object: [String: JSONValue] = [
            "model": .string(response.model), "created_at": .string(timestamp(created)),
        ]
        switch shape {
        case .chat:
            var message: [String: JSONValue] = ["role": "assistant", "content": .string(response.text)]
            if !response.toolCalls.isEmpty { message["tool_calls"] = toolCalls(response.toolCalls) }
            object["message"] = .object(message)
        case .generate:
            object["response"] = .string(response.text)
        }
        final(
            &object, reason: response.finishReason, usage: response.usage, performance: response.performance,
            latency: response.latency)
        return .object(object)
    }

    static func embeddings(_ response: EmbeddingResponse) -> JSONValue {
        [
            "model": .string(response.model),
            "embeddings": .array(response.embeddings.map { .array($0.map { .number(Double($0)) }) }),
            "prompt_eval_count": .integer(response.usage?.totalInputTokens ?? 0),
        ]
    }

    static func tags(_ models: [ModelInfo], created: Date) -> JSONValue {
        var seen: Set<String> = []
        let entries: [JSONValue] = models.compactMap { model in
            guard seen.insert(model.id).inserted else { return nil }
            return [
                "name": .string(model.id), "model": .string(model.id),
                "modified_at": .string(timestamp(model.createdAt ?? created)), "size": 0, "digest": "",
                "details": [
                    "parent_model": "", "format": "", "family": .string(model.provider.rawValue), "families": .null,
                    "parameter_size": "", "quantization_level": "",
                ],
            ]
        }
        return ["models": .array(entries)]
    }
}
