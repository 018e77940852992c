import Switchboard

/// Renders a resolved reply as a Gemini `GenerateContentResponse` or its SSE chunks (wire reference
/// §4.3, §4.4).
struct GeminiContentRenderer: Sendable {
    var reply: ResolvedReply
    var responseID: String
    /// When set, the prompt is blocked: no candidates, `promptFeedback.blockReason` is this.
    var promptBlockReason: String?

    /// Finish reasons that come with a candidate without `content`.
    static let filteredReasons: Set<String> = ["SAFETY", "PROHIBITED_CONTENT", "BLOCKLIST", "SPII"]

    private var promptTokens: Int { reply.inputTokens + reply.cachedInputTokens }
    private var candidatesTokens: Int { max(0, reply.outputTokens - reply.reasoningTokens) }

    /// `usageMetadata` with `candidates` generated so far; zero counts are omitted as Gemini does.
    func usage(candidates: Int, final: Bool) -> JSONValue {
        var object: [String: JSONValue] = [
            "promptTokenCount": .integer(promptTokens),
            "totalTokenCount": .integer(promptTokens + candidates + reply.reasoningTokens),
            "promptTokensDetails": [["modality": "TEXT", "tokenCount": .integer(promptTokens)]],
        ]
        if candidates > 0 { object["candidatesTokenCount"] = .integer(candidates) }
        if reply.reasoningTokens > 0 { object["thoughtsTokenCount"] = .integer(reply.reasoningTokens) }
        if reply.cachedInputTokens > 0 {
            object["cachedContentTokenCount"] = .integer(reply.cachedInputTokens)
            object["cacheTokensDetails"] = [["modality": "TEXT", "tokenCount": .integer(reply.cachedInputTokens)]]
        }
        if final && candidates > 0 {
            object["candidatesTokensDetails"] = [["modality": "TEXT", "tokenCount": .integer(candidates)]]
        }
        return .object(object)
    }

    private var functionCallParts: [JSONValue] {
        reply.toolCalls.map { call in
            [
                "functionCall": [
                    "name": .string(call.name),
                    "args": OllamaChatRenderer.argumentsObject(call.arguments),
                    "id": .string(call.id),
                ]
            ]
        }
    }

    private var isFiltered: Bool { Self.filteredReasons.contains(reply.finishReason) }

    private static let blockedRatings: JSONValue = [
        ["category": "HARM_CATEGORY_SEXUALLY_EXPLICIT", "probability": "NEGLIGIBLE"],
        ["category": "HARM_CATEGORY_HATE_SPEECH", "probability": "NEGLIGIBLE"],
        ["category": "HARM_CATEGORY_HARASSMENT", "probability": "NEGLIGIBLE"],
        ["category": "HARM_CATEGORY_DANGEROUS_CONTENT", "probability": "HIGH", "blocked": true],
    ]

    private func response(candidate: JSONValue, usage: JSONValue) -> JSONValue {
        [
            "candidates": [candidate],
            "usageMetadata": usage,
            "modelVersion": .string(reply.model),
            "responseId": .string(responseID),
        ]
    }

    /// The blocked-prompt response: `promptFeedback` and prompt-only usage, no `candidates`.
    private func blocked(_ reason: String) -> JSONValue {
        [
            "promptFeedback": ["blockReason": .string(reason), "safetyRatings": Self.blockedRatings],
            "usageMetadata": [
                "promptTokenCount": .integer(promptTokens), "totalTokenCount": .integer(promptTokens),
            ],
            "modelVersion": .string(reply.model),
            "responseId": .string(responseID),
        ]
    }

    /// A candidate; `parts` `nil` means no `content` (a filtered finish).
    private func candidate(parts: [JSONValue]?, finish: Bool, index: Bool) -> JSONValue {
        var object: [String: JSONValue] = [:]
        if let parts { object["content"] = ["parts": .array(parts), "role": "model"] }
        if finish {
            object["finishReason"] = .string(reply.finishReason)
            if isFiltered { object["safetyRatings"] = Self.blockedRatings }
        }
        if index { object["index"] = 0 }
        return .object(object)
    }

    /// The non-streaming `GenerateContentResponse`.
    func fullResponse() -> JSONValue {
        if let promptBlockReason { return blocked(promptBlockReason) }
        var parts: [JSONValue] = []
        if !reply.text.isEmpty || reply.toolCalls.isEmpty { parts.append(["text": .string(reply.text)]) }
        parts += functionCallParts
        return response(
            candidate: candidate(parts: isFiltered ? nil : parts, finish: true, index: true),
            usage: usage(candidates: candidatesTokens, final: true)
        )
    }

    /// The stream's chunks: each carries only new text (a function call arrives whole, in the last
    /// chunk), running `usageMetadata`, and the last one the `finishReason`.
    func chunks() -> [JSONValue] {
        if let promptBlockReason { return [blocked(promptBlockReason)] }
        var partsPerChunk: [[JSONValue]] = reply.text.simulatorChunks(of: reply.chunkSize).map {
            [["text": .string($0)]]
        }
        if isFiltered {
            partsPerChunk.append([])
        } else if !reply.toolCalls.isEmpty {
            partsPerChunk.append(functionCallParts)
        } else if partsPerChunk.isEmpty {
            partsPerChunk.append([["text": ""]])
        }
        let count = partsPerChunk.count
        return partsPerChunk.enumerated().map { offset, parts in
            let final = offset == count - 1
            let generated = final ? candidatesTokens : candidatesTokens * (offset + 1) / count
            return response(
                candidate: candidate(parts: final && isFiltered ? nil : parts, finish: final, index: false),
                usage: usage(candidates: generated, final: final)
            )
        }
    }
}
