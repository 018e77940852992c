import Switchboard

/// Renders a resolved reply as an OpenAI chat completion or chunk stream (wire reference §2.3, §2.4).
struct OpenAIChatRenderer: Sendable {
    var reply: ResolvedReply
    var id: String
    var created: Int

    /// The `usage` object: `prompt_tokens` includes cached and cache-write tokens.
    var usage: JSONValue {
        let prompt = reply.inputTokens + reply.cachedInputTokens + reply.cacheWriteTokens
        var promptDetails: [String: JSONValue] = [
            "cached_tokens": .integer(reply.cachedInputTokens),
            "audio_tokens": 0,
        ]
        if reply.cacheWriteTokens > 0 { promptDetails["cache_write_tokens"] = .integer(reply.cacheWriteTokens) }
        return [
            "prompt_tokens": .integer(prompt),
            "completion_tokens": .integer(reply.outputTokens),
            "total_tokens": .integer(prompt + reply.outputTokens),
            "prompt_tokens_details": .object(promptDetails),
            "completion_tokens_details": [
                "reasoning_tokens": .integer(reply.reasoningTokens),
                "audio_tokens": 0,
                "accepted_prediction_tokens": 0,
                "rejected_prediction_tokens": 0,
            ],
        ]
    }

    /// The non-streaming `chat.completion` body.
    func completion() -> JSONValue {
        var message: [String: JSONValue] = [
            "role": "assistant",
            "content": reply.text.isEmpty && !reply.toolCalls.isEmpty ? .null : .string(reply.text),
            "refusal": nil,
            "annotations": [],
        ]
        if !reply.toolCalls.isEmpty {
            message["tool_calls"] = .array(
                reply.toolCalls.map { call in
                    [
                        "id": .string(call.id),
                        "type": "function",
                        "function": ["name": .string(call.name), "arguments": .string(call.arguments)],
                    ]
                }
            )
        }
        return [
            "id": .string(id),
            "object": "chat.completion",
            "created": .integer(created),
            "model": .string(reply.model),
            "choices": [
                [
                    "index": 0,
                    "message": .object(message),
                    "logprobs": nil,
                    "finish_reason": .string(reply.finishReason),
                ]
            ],
            "usage": usage,
            "service_tier": "default",
            "system_fingerprint": "fp_simulator",
        ]
    }

    /// The stream's events: role chunk, content chunks, tool-call chunks, finish chunk, the usage
    /// chunk when `includeUsage`, and `data: [DONE]`.
    func streamEvents(includeUsage: Bool) -> [[UInt8]] {
        var deltas: [JSONValue] = []
        let textPieces = reply.text.simulatorChunks(of: reply.chunkSize)
        var toolFragments: [JSONValue] = []
        for (index, call) in reply.toolCalls.enumerated() {
            toolFragments.append([
                "index": .integer(index),
                "id": .string(call.id),
                "type": "function",
                "function": ["name": .string(call.name), "arguments": ""],
            ])
            for piece in call.arguments.simulatorChunks(of: reply.chunkSize) {
                toolFragments.append(["index": .integer(index), "function": ["arguments": .string(piece)]])
            }
        }
        if textPieces.isEmpty && !toolFragments.isEmpty {
            deltas.append([
                "role": "assistant", "content": nil, "refusal": nil, "tool_calls": [toolFragments.removeFirst()],
            ])
        } else {
            deltas.append(["role": "assistant", "content": "", "refusal": nil])
            deltas += textPieces.map { ["content": .string($0)] }
        }
        deltas += toolFragments.map { ["tool_calls": [$0]] }

        var events = deltas.map { delta in
            chunk(choices: [["index": 0, "delta": delta, "logprobs": nil, "finish_reason": nil]], includeUsage)
        }
        events.append(
            chunk(
                choices: [["index": 0, "delta": [:], "logprobs": nil, "finish_reason": .string(reply.finishReason)]],
                includeUsage
            )
        )
        if includeUsage {
            var last = chunkObject(choices: [])
            last["usage"] = usage
            events.append(ServerSentEvents.data(JSONValue.object(last).jsonString()))
        }
        events.append(ServerSentEvents.data("[DONE]"))
        return events
    }

    private func chunkObject(choices: [JSONValue]) -> [String: JSONValue] {
        [
            "id": .string(id),
            "object": "chat.completion.chunk",
            "created": .integer(created),
            "model": .string(reply.model),
            "system_fingerprint": "fp_simulator",
            "service_tier": "default",
            "choices": .array(choices),
        ]
    }

    /// One chunk event; with `include_usage` every chunk but the last carries `"usage": null`.
    private func chunk(choices: [JSONValue], _ includeUsage: Bool) -> [UInt8] {
        var object = chunkObject(choices: choices)
        if includeUsage { object["usage"] = .null }
        return ServerSentEvents.data(JSONValue.object(object).jsonString())
    }
}
