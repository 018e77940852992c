/// Renders server-sent events (wire reference §1.6).
enum ServerSentEvents {
    /// `data: <payload>` and the blank line that ends the event.
    static func data(_ payload: String) -> [UInt8] {
        Array("data: \(payload)\n\n".utf8)
    }

    /// `event: <name>`, `data: <payload>` and the blank line that ends the event.
    static func event(_ name: String, _ payload: String) -> [UInt8] {
        Array("event: \(name)\ndata: \(payload)\n\n".utf8)
    }
}
