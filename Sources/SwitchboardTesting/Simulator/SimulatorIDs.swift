/// Identifiers in the providers' styles.
enum SimulatorIDs {
    /// `prefix` followed by `number` zero-padded to `width` digits.
    static func make(_ prefix: String, _ number: Int, width: Int = 8) -> String {
        let digits = String(number)
        return prefix + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// A random request id such as `req_3f9c…` (24 hex digits).
    static func requestID() -> String {
        var text = "req_"
        for _ in 0..<24 { text.append(String(Int.random(in: 0..<16), radix: 16)) }
        return text
    }
}
