extension ChatResponse {
    /// The response as the events of a stream that delivers it at once.
    var events: [ChatEvent] {
        var finish = StreamFinish(
            reason: finishReason, providerReason: providerFinishReason, performance: performance)
        finish.attempts = attempts
        finish.cost = cost
        return ChatEvent.replaying(
            StreamStart(id: id, provider: provider, model: model, providerRequestID: providerRequestID),
            textPieces: text.isEmpty ? [] : [text], toolCalls: toolCalls, usage: usage, finish: finish)
    }
}

extension ChatEvent {
    /// A whole answer as the events of a stream: start, the text pieces, one delta per tool call, the
    /// usage, and the finish.
    static func replaying(
        _ start: StreamStart, textPieces: [String], toolCalls: [ToolCall], usage: Usage?, finish: StreamFinish
    ) -> [ChatEvent] {
        var events: [ChatEvent] = [.started(start)]
        events += textPieces.map { .textDelta($0) }
        for (index, call) in toolCalls.enumerated() {
            events.append(
                .toolCallDelta(
                    ToolCallDelta(
                        index: index, id: call.id, name: call.name, argumentsDelta: call.arguments,
                        signature: call.signature)))
        }
        if let usage { events.append(.usage(usage)) }
        events.append(.finish(finish))
        return events
    }
}
