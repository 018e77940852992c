import Switchboard

/// Estimates token counts from word counts, for replies whose usage is not scripted.
enum TokenEstimator {
    /// Whitespace-separated words in `text`.
    static func words(_ text: String) -> Int {
        text.split(whereSeparator: { $0.isWhitespace || $0.isNewline }).count
    }

    /// Words in every string inside `value` (message texts, tool results, system prompts).
    static func words(in value: JSONValue?) -> Int {
        switch value {
        case .string(let text): words(text)
        case .array(let items): items.reduce(0) { $0 + words(in: $1) }
        case .object(let members): members.values.reduce(0) { $0 + words(in: $1) }
        default: 0
        }
    }

    /// Estimated output tokens of a reply: its words plus its tool calls' argument words, at least 1.
    static func outputTokens(of reply: SimulatedReply) -> Int {
        let toolWords = reply.toolCalls.reduce(0) { $0 + 1 + words($1.arguments) }
        return max(1, words(reply.text) + toolWords)
    }
}
