/// Maps Chat Completions chunks to events (wire reference §2.4).
///
/// Holds the finish reason until `[DONE]` so the usage chunk, which comes after it, is handed on
/// first and ``ChatEvent/finish(_:)`` is always the last event.
struct OpenAIStreamMapper: StreamEventMapper {
    let provider: ProviderID
    let secrets: [String]
    let requestID: String?
    private var finishReason: String?
    private var sawDone = false

    init(provider: ProviderID, secrets: [String], requestID: String?) {
        self.provider = provider
        self.secrets = secrets
        self.requestID = requestID
    }

    mutating func map(_ frame: ServerSentEvent, into events: inout [ChatEvent]) throws {
        if frame.data == "[DONE]" {
            sawDone = true
            return
        }
        guard !sawDone else { return }
        let chunk = try ProviderHTTP.decode(OpenAIWire.ChatCompletion.self, from: frame.data, provider: provider)
        if let error = chunk.error {
            throw OpenAIErrorMapper.error(
                status: nil, body: error, fallbackMessage: "error in stream", provider: provider, secrets: secrets,
                retryAfter: nil, requestID: requestID)
        }
        for choice in chunk.choices ?? [] where (choice.index ?? 0) == 0 {
            if let delta = choice.delta {
                if let content = delta.content, !content.isEmpty { events.append(.textDelta(content)) }
                if let refusal = delta.refusal, !refusal.isEmpty { events.append(.textDelta(refusal)) }
                for call in delta.toolCalls ?? [] {
                    events.append(
                        .toolCallDelta(
                            ToolCallDelta(
                                index: call.index ?? 0, id: call.id, name: call.function?.name,
                                argumentsDelta: call.function?.arguments ?? "")))
                }
            }
            if let reason = choice.finishReason { finishReason = reason }
        }
        if let usage = chunk.usage { events.append(.usage(usage.normalized)) }
    }

    mutating func finish(into events: inout [ChatEvent]) throws {
        // Compatible servers sometimes end without `[DONE]`; a finish reason means the answer is whole.
        guard let finishReason else {
            throw ProviderError(
                kind: .streamInterrupted, provider: provider,
                message: "the stream ended before the model finished", providerRequestID: requestID)
        }
        events.append(
            .finish(StreamFinish(reason: OpenAIWire.finishReason(finishReason), providerReason: finishReason)))
    }
}
