/// Maps Messages stream events to ``ChatEvent``s (wire reference §3.4).
struct AnthropicStreamMapper: StreamEventMapper {
    let provider: ProviderID
    let secrets: [String]
    let requestID: String?
    let requestedModel: String
    let rateLimit: RateLimitSnapshot?
    private var usage = Usage.zero
    private var stopReason: String?
    private var sawStop = false
    /// Content block index → tool call ordinal, and whether the call received argument text.
    private var toolBlocks: [Int: (ordinal: Int, hasArguments: Bool)] = [:]

    init(
        provider: ProviderID, secrets: [String], requestID: String?, requestedModel: String,
        rateLimit: RateLimitSnapshot?
    ) {
        self.rateLimit = rateLimit
        self.provider = provider
        self.secrets = secrets
        self.requestID = requestID
        self.requestedModel = requestedModel
    }

    mutating func map(_ frame: ServerSentEvent, into events: inout [ChatEvent]) throws {
        let event = try ProviderHTTP.decode(AnthropicWire.StreamEvent.self, from: frame.data, provider: provider)
        switch event.type {
        case "message_start":
            events.append(
                .started(
                    StreamStart(
                        id: event.message?.id, provider: provider, model: event.message?.model ?? requestedModel,
                        providerRequestID: requestID, rateLimit: rateLimit)))
            if let start = event.message?.usage {
                usage = start.normalized()
                events.append(.usage(usage))
            }
        case "content_block_start":
            guard let block = event.contentBlock, block.type == "tool_use", let index = event.index else { return }
            let ordinal = toolBlocks.count
            toolBlocks[index] = (ordinal, false)
            events.append(
                .toolCallDelta(ToolCallDelta(index: ordinal, id: block.id, name: block.name, argumentsDelta: "")))
        case "content_block_delta":
            guard let delta = event.delta else { return }
            switch delta.type {
            case "text_delta":
                if let text = delta.text, !text.isEmpty { events.append(.textDelta(text)) }
            case "input_json_delta":
                guard let index = event.index, let tool = toolBlocks[index], let json = delta.partialJson,
                    !json.isEmpty
                else { return }
                toolBlocks[index]?.hasArguments = true
                events.append(.toolCallDelta(ToolCallDelta(index: tool.ordinal, argumentsDelta: json)))
            default:
                return
            }
        case "content_block_stop":
            guard let index = event.index, let tool = toolBlocks[index], !tool.hasArguments else { return }
            // A tool called without arguments streams no fragments; its input is the empty object.
            events.append(.toolCallDelta(ToolCallDelta(index: tool.ordinal, argumentsDelta: "{}")))
        case "message_delta":
            if let reason = event.delta?.stopReason { stopReason = reason }
            if let delta = event.usage {
                usage = delta.normalized(over: usage)
                events.append(.usage(usage))
            }
        case "message_stop":
            sawStop = true
            events.append(
                .finish(StreamFinish(reason: AnthropicWire.finishReason(stopReason), providerReason: stopReason)))
        case "error":
            throw AnthropicErrorMapper.error(
                status: nil, body: event.error, fallbackMessage: "error in stream", provider: provider,
                secrets: secrets, retryAfter: nil, requestID: requestID)
        default:
            return  // `ping` and event types added later.
        }
    }

    mutating func finish(into events: inout [ChatEvent]) throws {
        guard sawStop else {
            throw ProviderError(
                kind: .streamInterrupted, provider: provider,
                message: "the stream ended before message_stop", providerRequestID: requestID)
        }
    }
}
