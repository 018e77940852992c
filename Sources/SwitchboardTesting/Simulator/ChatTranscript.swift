import Switchboard

/// Reads the text a chat request contains, for the echo reply and token estimates.
enum ChatTranscript {
    /// The text of a message `content`: the string itself, or the `text` blocks (and the text
    /// inside `tool_result` blocks) of a content array joined with newlines.
    static func text(of content: JSONValue?) -> String {
        switch content {
        case .string(let text):
            return text
        case .array(let blocks):
            let texts = blocks.compactMap { block -> String? in
                switch block["type"]?.stringValue {
                case "text": block["text"]?.stringValue
                case "tool_result": text(of: block["content"])
                default: nil
                }
            }
            return texts.joined(separator: "\n")
        default:
            return ""
        }
    }

    /// The text of the last `user` message in `messages`.
    static func lastUserText(in messages: JSONValue?) -> String {
        guard case .array(let items) = messages,
            let last = items.last(where: { $0["role"]?.stringValue == "user" })
        else { return "" }
        return text(of: last["content"])
    }

    /// Estimated input tokens: words in every message's content plus `extra` (e.g. a system prompt), at least 1.
    static func estimatedInputTokens(messages: JSONValue?, extra: JSONValue? = nil) -> Int {
        var words = TokenEstimator.words(in: extra)
        if case .array(let items) = messages {
            words += items.reduce(0) { $0 + TokenEstimator.words(in: $1["content"]) }
        }
        return max(1, words)
    }

    /// The built-in reply: "Simulated reply to: <last user text>".
    static func echoReply(to messages: JSONValue?) -> SimulatedReply {
        .text("Simulated reply to: \(lastUserText(in: messages))")
    }
}
