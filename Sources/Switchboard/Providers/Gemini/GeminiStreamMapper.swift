/// Maps `streamGenerateContent?alt=sse` chunks to events (wire reference §4.4): each chunk holds only
/// new text; usage runs and the last one is final; the stream ends when the connection closes.
struct GeminiStreamMapper: StreamEventMapper {
    let provider: ProviderID
    let secrets: [String]
    private var finishReason: String?
    private var toolCallCount = 0

    init(provider: ProviderID, secrets: [String]) {
        self.provider = provider
        self.secrets = secrets
    }

    mutating func map(_ frame: ServerSentEvent, into events: inout [ChatEvent]) throws {
        let chunk = try ProviderHTTP.decode(GeminiWire.GenerateResponse.self, from: frame.data, provider: provider)
        if let error = chunk.error {
            throw GeminiErrorMapper.error(
                status: nil, body: error, fallbackMessage: "error in stream", provider: provider, secrets: secrets)
        }
        if let blocked = chunk.promptFeedback?.blockReason {
            throw GeminiProvider.blockedPrompt(
                blocked, message: chunk.promptFeedback?.blockReasonMessage, provider: provider)
        }
        if let candidate = chunk.candidates?.first {
            for part in candidate.content?.parts ?? [] {
                if let text = part.text, part.thought != true, !text.isEmpty { events.append(.textDelta(text)) }
                if let call = part.functionCall {
                    let index = toolCallCount
                    toolCallCount += 1
                    events.append(
                        .toolCallDelta(
                            ToolCallDelta(
                                index: index, id: call.id ?? "call_\(index)", name: call.name ?? "",
                                argumentsDelta: (call.args ?? [:]).jsonString(), signature: part.thoughtSignature)))
                }
            }
            if let reason = candidate.finishReason { finishReason = reason }
        }
        if let usage = chunk.usageMetadata { events.append(.usage(usage.normalized)) }
    }

    mutating func finish(into events: inout [ChatEvent]) throws {
        guard let finishReason else {
            throw ProviderError(
                kind: .streamInterrupted, provider: provider, message: "the stream ended before the model finished")
        }
        events.append(
            .finish(
                StreamFinish(
                    reason: GeminiWire.finishReason(finishReason, sawToolCalls: toolCallCount > 0),
                    providerReason: finishReason)))
    }
}
