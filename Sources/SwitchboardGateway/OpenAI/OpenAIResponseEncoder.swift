import Foundation
import Switchboard

/// Core responses in OpenAI's response shapes (wire reference §2.3, §2.7).
enum OpenAIResponseEncoder {
    static func finishReason(_ reason: FinishReason) -> String {
        switch reason {
        case .length: "length"
        case .toolCalls: "tool_calls"
        case .contentFilter: "content_filter"
        default: "stop"
        }
    }

    static func usage(_ usage: Usage) -> JSONValue {
        [
            "prompt_tokens": .integer(usage.totalInputTokens),
            "completion_tokens": .integer(usage.outputTokens),
            "total_tokens": .integer(usage.totalTokens),
            "prompt_tokens_details": ["cached_tokens": .integer(usage.cacheReadTokens)],
            "completion_tokens_details": ["reasoning_tokens": .integer(usage.reasoningTokens)],
        ]
    }

    static func completionID(_ id: String?, fallback: String) -> String {
        guard let id, !id.isEmpty else { return "chatcmpl-" + fallback }
        return id.hasPrefix("chatcmpl-") ? id : "chatcmpl-" + id
    }

    /// A whole answer as OpenAI's `chat.completion` object, in compact JSON with sorted keys — the bytes
    /// ``JSONValue/jsonString()`` gives for the same object, written without building the tree first.
    static func chatCompletion(_ response: ChatResponse, requestID: String, created: Date) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512 + response.text.utf8.count)
        func raw(_ text: StaticString) {
            text.withUTF8Buffer { bytes.append(contentsOf: $0) }
        }
        func string(_ text: String) { JSONValue.writeQuoted(text, into: &bytes) }
        func integer(_ value: Int) { bytes.append(contentsOf: String(value).utf8) }

        raw(#"{"choices":[{"finish_reason":"#)
        string(finishReason(response.finishReason))
        raw(#","index":0,"logprobs":null,"message":{"annotations":[],"content":"#)
        let text = response.text
        if text.isEmpty && !response.toolCalls.isEmpty { raw("null") } else { string(text) }
        raw(#","refusal":null,"role":"assistant""#)
        if !response.toolCalls.isEmpty {
            raw(#","tool_calls":["#)
            for (index, call) in response.toolCalls.enumerated() {
                if index > 0 { raw(",") }
                raw(#"{"function":{"arguments":"#)
                string(call.arguments)
                raw(#","name":"#)
                string(call.name)
                raw(#"},"id":"#)
                string(call.id)
                raw(#","type":"function"}"#)
            }
            raw("]")
        }
        raw(#"}}],"created":"#)
        integer(Int(created.timeIntervalSince1970))
        raw(#","id":"#)
        string(completionID(response.id, fallback: requestID))
        raw(#","model":"#)
        string(response.model)
        raw(#","object":"chat.completion","system_fingerprint":null"#)
        if let usage = response.usage {
            raw(#","usage":{"completion_tokens":"#)
            integer(usage.outputTokens)
            raw(#","completion_tokens_details":{"reasoning_tokens":"#)
            integer(usage.reasoningTokens)
            raw(#"},"prompt_tokens":"#)
            integer(usage.totalInputTokens)
            raw(#","prompt_tokens_details":{"cached_tokens":"#)
            integer(usage.cacheReadTokens)
            raw(#"},"total_tokens":"#)
            integer(usage.totalTokens)
            raw("}")
        }
        raw("}")
        return bytes
    }

    static func embeddings(_ response: EmbeddingResponse, base64: Bool) -> JSONValue {
        let data: [JSONValue] = response.embeddings.enumerated().map { index, vector in
            [
                "object": "embedding", "index": .integer(index),
                "embedding": base64 ? .string(base64Floats(vector)) : .array(vector.map { .number(Double($0)) }),
            ]
        }
        let prompt = response.usage?.totalInputTokens ?? 0
        return [
            "object": "list", "data": .array(data), "model": .string(response.model),
            "usage": ["prompt_tokens": .integer(prompt), "total_tokens": .integer(prompt)],
        ]
    }

    /// Little-endian float32 bytes in base64, as `encoding_format: "base64"` asks.
    static func base64Floats(_ vector: [Float]) -> String {
        var bytes = [UInt8]()
        bytes.reserveCapacity(vector.count * 4)
        for value in vector {
            let bits = value.bitPattern.littleEndian
            withUnsafeBytes(of: bits) { bytes.append(contentsOf: $0) }
        }
        return Data(bytes).base64EncodedString()
    }

    static func models(_ models: [ModelInfo], created: Date) -> JSONValue {
        var seen: Set<String> = []
        var data: [JSONValue] = [
            [
                "id": "auto", "object": "model", "created": .integer(Int(created.timeIntervalSince1970)),
                "owned_by": "switchboard",
            ]
        ]
        for model in models where seen.insert(model.id).inserted {
            data.append([
                "id": .string(model.id), "object": "model",
                "created": .integer(Int((model.createdAt ?? created).timeIntervalSince1970)),
                "owned_by": .string(model.ownedBy ?? model.provider.rawValue),
            ])
        }
        for model in models {
            let qualified = "\(model.provider.rawValue)/\(model.id)"
            guard seen.insert(qualified).inserted else { continue }
            data.append([
                "id": .string(qualified), "object": "model",
                "created": .integer(Int((model.createdAt ?? created).timeIntervalSince1970)),
                "owned_by": .string(model.ownedBy ?? model.provider.rawValue),
            ])
        }
        return ["object": "list", "data": .array(data)]
    }
}
