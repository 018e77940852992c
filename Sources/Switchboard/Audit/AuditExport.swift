import Foundation

/// The audit trail as JSON (for other tools) or text (for people).
public enum AuditExport {
    /// A JSON array, one object per entry with its sequence, time, fields, previous hash and hash.
    public static func json(_ entries: [AuditEntry]) -> String {
        JSONValue.array(
            entries.map { entry in
                let event = entry.event
                var object: [String: JSONValue] = [
                    "sequence": .number(Double(entry.sequence)), "time": .string(event.date.ISO8601Format()),
                    "action": .string(event.action.rawValue), "outcome": .string(event.outcome),
                    "previous_hash": .string(entry.previousHash), "hash": .string(entry.hash),
                ]
                let optional: [(String, String?)] = [
                    ("provider", event.provider?.rawValue), ("model", event.model), ("key_name", event.keyName),
                    ("key_fingerprint", event.keyFingerprint), ("component", event.component),
                    ("feature", event.feature), ("user", event.user), ("detail", event.detail),
                ]
                for case (let name, let value?) in optional { object[name] = .string(value) }
                return .object(object)
            }
        ).jsonString()
    }

    /// One line per entry.
    public static func text(_ entries: [AuditEntry]) -> String {
        entries.map { entry in
            let event = entry.event
            var parts = ["#\(entry.sequence)", event.date.ISO8601Format(), event.action.rawValue, event.outcome]
            if let provider = event.provider { parts.append("provider=\(provider)") }
            if let model = event.model { parts.append("model=\(model)") }
            if let name = event.keyName { parts.append("key=\(name)") }
            if let fingerprint = event.keyFingerprint { parts.append("fingerprint=\(fingerprint)") }
            if let component = event.component { parts.append("component=\(component)") }
            if let feature = event.feature { parts.append("feature=\(feature)") }
            if let user = event.user { parts.append("user=\(user)") }
            if let detail = event.detail { parts.append("(\(detail))") }
            return TerminalSanitizer.sanitize(parts.joined(separator: " ")) + "\n"
        }.joined()
    }
}
