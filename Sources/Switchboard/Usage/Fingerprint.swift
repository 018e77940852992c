import Crypto

/// Short, one-way names for things the ledger must tell apart but never store: API keys and prompts.
///
/// A fingerprint is the first 12 hex digits (48 bits) of the SHA-256 of the text: enough to group
/// by, far too little to recover anything from.
public enum Fingerprint {
    /// The fingerprint of `text`.
    public static func of(_ text: String) -> String {
        Crypto.SHA256.hash(data: Array(text.utf8)).prefix(6).lowercaseHex
    }

    /// The fingerprint of an API key.
    public static func of(_ key: APIKey) -> String { of(key.value) }

    /// The fingerprint of a request's prompt: every message's role and text, and the tools offered.
    public static func ofPrompt(_ request: ChatRequest) -> String {
        var text = ""
        for message in request.messages {
            text += "\(message.role)\u{1F}\(message.text)\u{1E}"
        }
        for tool in request.tools { text += "tool\u{1F}\(tool.name)\u{1E}" }
        return of(text)
    }
}
