/// Maps `/api/chat` NDJSON lines to events, each as soon as its line arrives (wire reference §5.2).
struct OllamaStreamMapper: StreamEventMapper {
    let provider: ProviderID
    private var toolCallCount = 0
    private var finished = false

    init(provider: ProviderID) {
        self.provider = provider
    }

    mutating func map(_ frame: [UInt8], into events: inout [ChatEvent]) throws {
        let line = try ProviderHTTP.decode(
            OllamaWire.ChatResponse.self, from: String(decoding: frame, as: UTF8.self), provider: provider)
        if let error = line.error {
            throw OllamaErrorMapper.error(status: nil, message: error, provider: provider)
        }
        if let content = line.message?.content, !content.isEmpty { events.append(.textDelta(content)) }
        for call in line.message?.toolCalls ?? [] {
            let index = toolCallCount
            toolCallCount += 1
            events.append(
                .toolCallDelta(
                    ToolCallDelta(
                        index: index, id: call.id ?? "call_\(index)", name: call.function?.name ?? "",
                        argumentsDelta: (call.function?.arguments ?? [:]).jsonString())))
        }
        if line.done == true {
            finished = true
            if let usage = line.usage { events.append(.usage(usage)) }
            events.append(
                .finish(
                    StreamFinish(
                        reason: OllamaWire.finishReason(line.doneReason, sawToolCalls: toolCallCount > 0),
                        providerReason: line.doneReason, performance: line.performance)))
        }
    }

    mutating func finish(into events: inout [ChatEvent]) throws {
        guard finished else {
            throw ProviderError(
                kind: .streamInterrupted, provider: provider, message: "the stream ended before the model finished")
        }
    }
}

extension JSONLinesDecoder: StreamFrameDecoder {}
