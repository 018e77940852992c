import Foundation
import Switchboard

/// Renders a resolved reply as Ollama `/api/chat` NDJSON lines or one object (wire reference §5.2).
struct OllamaChatRenderer: Sendable {
    var reply: ResolvedReply
    /// The tool calls' scripted ids (`nil` entries are sent without an `id`).
    var toolCallIDs: [String?]
    /// When generation started; each line's `created_at` advances from it.
    var started: Date
    /// Whether the model was already in memory (a short `load_duration`).
    var warm: Bool

    /// Nanoseconds per evaluated prompt token (about 1,100 tokens/s).
    static let promptNanosPerToken: Int64 = 900_000
    /// Nanoseconds per generated token (about 55 tokens/s).
    static let evalNanosPerToken: Int64 = 18_000_000

    /// The final line's metrics, in nanoseconds; consistent and never zero, so tokens/s stays finite.
    var metrics: [String: JSONValue] {
        let promptCount = reply.inputTokens
        let evalCount = reply.outputTokens
        let load: Int64 = warm ? 1_334_875 : 707_634_750
        let promptDuration = Int64(max(1, promptCount)) * Self.promptNanosPerToken
        let evalDuration = Int64(max(1, evalCount)) * Self.evalNanosPerToken
        return [
            "total_duration": .integer(Int(load + promptDuration + evalDuration + 3_512_000)),
            "load_duration": .integer(Int(load)),
            "prompt_eval_count": .integer(promptCount),
            "prompt_eval_duration": .integer(Int(promptDuration)),
            "eval_count": .integer(evalCount),
            "eval_duration": .integer(Int(evalDuration)),
        ]
    }

    private var toolCalls: JSONValue {
        .array(
            reply.toolCalls.enumerated().map { index, call in
                var object: [String: JSONValue] = [
                    "function": [
                        "index": .integer(index),
                        "name": .string(call.name),
                        "arguments": Self.argumentsObject(call.arguments),
                    ]
                ]
                if index < toolCallIDs.count, let id = toolCallIDs[index] { object["id"] = .string(id) }
                return .object(object)
            }
        )
    }

    /// Tool arguments as the object Ollama sends; text that is not a JSON object becomes `{}`.
    static func argumentsObject(_ text: String) -> JSONValue {
        if let value = try? JSONValue.parse(text), case .object = value { return value }
        return [:]
    }

    private func line(_ message: [String: JSONValue], done: Bool, at offset: Int) -> [String: JSONValue] {
        [
            "model": .string(reply.model),
            "created_at": .string(OllamaWire.timestamp(started.addingTimeInterval(Double(offset) * 0.018))),
            "message": .object(message),
            "done": .bool(done),
        ]
    }

    private var finalFields: [String: JSONValue] {
        var fields = metrics
        fields["done_reason"] = .string(reply.finishReason)
        return fields
    }

    /// The stream: one line per text piece, one line with every tool call, and the `done` line.
    func lines() -> [[UInt8]] {
        var objects: [[String: JSONValue]] = reply.text.simulatorChunks(of: reply.chunkSize).map { piece in
            ["role": "assistant", "content": .string(piece)]
        }
        if !reply.toolCalls.isEmpty {
            objects.append(["role": "assistant", "content": "", "tool_calls": toolCalls])
        }
        var lines = objects.enumerated().map { offset, message in
            OllamaWire.line(.object(line(message, done: false, at: offset)))
        }
        let last = line(["role": "assistant", "content": ""], done: true, at: objects.count)
        lines.append(OllamaWire.line(.object(last.merging(finalFields) { $1 })))
        return lines
    }

    /// The non-streaming body: the final line with the whole message.
    func body() -> JSONValue {
        var message: [String: JSONValue] = ["role": "assistant", "content": .string(reply.text)]
        if !reply.toolCalls.isEmpty { message["tool_calls"] = toolCalls }
        let object = line(message, done: true, at: max(1, reply.outputTokens))
        return .object(object.merging(finalFields) { $1 })
    }
}
