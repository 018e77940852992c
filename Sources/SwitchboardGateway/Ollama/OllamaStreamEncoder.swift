import Foundation
import NIOCore
import Switchboard

/// A chat stream as Ollama's NDJSON lines: one object per text delta with `"done": false`, tool calls
/// whole in one line, and a last object with `"done": true`, the reason and the counts (wire reference §5.2).
struct OllamaStreamEncoder: ChatStreamEncoder {
    static let contentType = "application/x-ndjson"

    let shape: OllamaResponseEncoder.Shape
    private var model: String
    private let created: String
    private var usage: Usage?
    private var calls: [Int: ToolCall] = [:]
    private var finished = false

    init(shape: OllamaResponseEncoder.Shape, model: String, created: Date) {
        self.shape = shape
        self.model = model
        self.created = OllamaResponseEncoder.timestamp(created)
    }

    private func object(text: String, toolCalls: [ToolCall] = []) -> [String: JSONValue] {
        var object: [String: JSONValue] = ["model": .string(model), "created_at": .string(created)]
        switch shape {
        case .chat:
            var message: [String: JSONValue] = ["role": "assistant", "content": .string(text)]
            if !toolCalls.isEmpty { message["tool_calls"] = OllamaResponseEncoder.toolCalls(toolCalls) }
            object["message"] = .object(message)
        case .generate:
            object["response"] = .string(text)
        }
        return object
    }

    private func line(_ object: [String: JSONValue], into buffer: inout ByteBuffer) {
        buffer.writeJSON(.object(object))
        buffer.writeString("\n")
    }

    mutating func encode(_ event: ChatEvent, into buffer: inout ByteBuffer) {
        switch event {
        case .started(let start):
            model = start.model
        case .textDelta(let text):
            var object = object(text: text)
            object["done"] = false
            line(object, into: &buffer)
        case .toolCallDelta(let delta):
            var call = calls[delta.index] ?? ToolCall(id: delta.id ?? "call_\(delta.index)", name: "", arguments: "")
            if let name = delta.name { call.name = name }
            call.arguments += delta.argumentsDelta
            calls[delta.index] = call
        case .usage(let usage):
            self.usage = usage
        case .finish(let finish):
            if !calls.isEmpty {
                var object = object(text: "", toolCalls: calls.keys.sorted().compactMap { calls[$0] })
                object["done"] = false
                line(object, into: &buffer)
                calls = [:]
            }
            var last = object(text: "")
            OllamaResponseEncoder.final(
                &last, reason: finish.reason, usage: usage, performance: finish.performance, latency: nil)
            line(last, into: &buffer)
            finished = true
        }
    }

    mutating func finish(into buffer: inout ByteBuffer) {
        guard !finished else { return }
        encode(.finish(StreamFinish(reason: .stop)), into: &buffer)
    }

    mutating func fail(_ error: GatewayError, into buffer: inout ByteBuffer) {
        buffer.writeJSON(InboundProtocol.ollama.body(for: error))
        buffer.writeString("\n")
    }
}
