/// A reply with everything left open filled in for one request.
struct ResolvedReply: Sendable {
    var text: String
    var toolCalls: [(id: String, name: String, arguments: String)]
    var finishReason: String
    var model: String
    var chunkSize: Int
    /// Fresh input tokens (no cache).
    var inputTokens: Int
    var outputTokens: Int
    var cachedInputTokens: Int
    var cacheWriteTokens: Int
    var reasoningTokens: Int

    /// Fills in `reply` for a request.
    ///
    /// - Parameters:
    ///   - requestModel: the request's `model`, used when the reply names none.
    ///   - estimatedInput: input tokens to report when the reply scripts none.
    ///   - toolID: makes an id for the tool call at an index when the reply gives none.
    ///   - finishReasons: the provider's natural-stop and tool-call finish reasons.
    init(
        _ reply: SimulatedReply,
        requestModel: String,
        estimatedInput: Int,
        toolID: (Int) -> String,
        finishReasons: (stop: String, toolCalls: String)
    ) {
        text = reply.text
        toolCalls = reply.toolCalls.enumerated().map { index, call in
            (call.id ?? toolID(index), call.name, call.arguments)
        }
        finishReason = reply.finishReason ?? (reply.toolCalls.isEmpty ? finishReasons.stop : finishReasons.toolCalls)
        model = reply.model ?? requestModel
        chunkSize = max(1, reply.chunkSize)
        inputTokens = reply.usage.inputTokens ?? estimatedInput
        outputTokens = reply.usage.outputTokens ?? TokenEstimator.outputTokens(of: reply)
        cachedInputTokens = reply.usage.cachedInputTokens
        cacheWriteTokens = reply.usage.cacheWriteTokens
        reasoningTokens = reply.usage.reasoningTokens
    }
}
