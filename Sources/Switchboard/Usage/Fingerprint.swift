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

    /// The fingerprint of a request's prompt: every message's role and text, and the tools offered
    /// (`role` U+001F `text` U+001E per message, `tool` U+001F `name` U+001E per tool), hashed as it is
    /// read rather than joined into one string first.
    public static func ofPrompt(_ request: ChatRequest) -> String {
        var hash = Crypto.SHA256()
        for message in request.messages {
            hash.update(message.role.rawValue)
            hash.update(byte: 0x1F)
            for part in message.content {
                if case .text(let text) = part { hash.update(text) }
            }
            hash.update(byte: 0x1E)
        }
        for tool in request.tools {
            hash.update("tool")
            hash.update(byte: 0x1F)
            hash.update(tool.name)
            hash.update(byte: 0x1E)
        }
        return hash.finalize().prefix(6).lowercaseHex
    }
}

extension Crypto.SHA256 {
    fileprivate mutating func update(_ text: String) {
        var text = text
        text.withUTF8 { update(bufferPointer: UnsafeRawBufferPointer($0)) }
    }

    fileprivate mutating func update(byte: UInt8) {
        withUnsafeBytes(of: byte) { update(bufferPointer: $0) }
    }
}
