import Switchboard

/// Reads the text of a Gemini request's `contents`, for the echo reply and token estimates.
enum GeminiTranscript {
    /// The `text` parts of a `Content`, joined with newlines.
    static func text(of content: JSONValue?) -> String {
        guard case .array(let parts) = content?["parts"] else { return "" }
        return parts.compactMap { $0["text"]?.stringValue }.joined(separator: "\n")
    }

    /// Words in a `Content`'s parts: text, function-call arguments and function responses.
    static func words(in content: JSONValue?) -> Int {
        guard case .array(let parts) = content?["parts"] else { return 0 }
        return parts.reduce(0) { total, part in
            total + TokenEstimator.words(in: part["text"])
                + TokenEstimator.words(in: part["functionResponse"]?["response"])
                + TokenEstimator.words(in: part["functionCall"]?["args"])
        }
    }

    /// Estimated input tokens of `contents` and a `systemInstruction`, at least 1.
    static func estimatedInputTokens(contents: JSONValue?, systemInstruction: JSONValue? = nil) -> Int {
        var words = self.words(in: systemInstruction)
        if case .array(let items) = contents { words += items.reduce(0) { $0 + self.words(in: $1) } }
        return max(1, words)
    }

    /// The built-in reply: "Simulated reply to: <last user text>" (a content without a role counts as the user's).
    static func echoReply(to contents: JSONValue?) -> SimulatedReply {
        var last = ""
        if case .array(let items) = contents,
            let content = items.last(where: { ($0["role"]?.stringValue ?? "user") == "user" })
        {
            last = text(of: content)
        }
        return .text("Simulated reply to: \(last)")
    }
}
