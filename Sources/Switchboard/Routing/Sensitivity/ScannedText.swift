/// A text's UTF-8 bytes with the small helpers the hand-written scanners share.
///
/// Every pattern is ASCII, so the scanners work on bytes; bytes of other scripts count as neither
/// letters nor digits, so they separate words like punctuation does.
struct ScannedText: Sendable {
    let bytes: [UInt8]

    init(_ text: String) { bytes = Array(text.utf8) }

    var count: Int { bytes.count }

    subscript(index: Int) -> UInt8 { bytes[index] }

    /// The byte at `index`, or `nil` past either end.
    func byte(at index: Int) -> UInt8? {
        index >= 0 && index < bytes.count ? bytes[index] : nil
    }

    /// Whether a word may start at `index`: the byte before it is not an ASCII letter or digit. A JSON
    /// escape (`\n`, `\t`, `\r`) before it counts as a separator, so values in tool-call arguments are found.
    func isWordStart(_ index: Int) -> Bool {
        guard index > 0 else { return true }
        let previous = bytes[index - 1]
        guard previous.isASCIIAlphanumeric else { return true }
        return index >= 2 && bytes[index - 2] == UInt8(ascii: "\\")
            && (previous == UInt8(ascii: "n") || previous == UInt8(ascii: "t") || previous == UInt8(ascii: "r"))
    }

    /// Whether a word may end just before `index`: the byte there is not an ASCII letter or digit.
    func isWordEnd(_ index: Int) -> Bool {
        guard let next = byte(at: index) else { return true }
        return !next.isASCIIAlphanumeric
    }

    /// Whether the bytes at `index` are `prefix`.
    func hasPrefix(_ prefix: String, at index: Int) -> Bool {
        var position = index
        for byte in prefix.utf8 {
            guard position < bytes.count, bytes[position] == byte else { return false }
            position += 1
        }
        return true
    }

    /// How many bytes from `index` on satisfy `predicate`, counting at most `limit`.
    func run(from index: Int, limit: Int = .max, while predicate: (UInt8) -> Bool) -> Int {
        var position = index
        while position < bytes.count, position - index < limit, predicate(bytes[position]) { position += 1 }
        return position - index
    }

    /// The bytes in `range` as text.
    func string(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }
}

extension UInt8 {
    var isASCIIDigit: Bool { self >= 0x30 && self <= 0x39 }
    var isASCIIUppercase: Bool { self >= 0x41 && self <= 0x5A }
    var isASCIILowercase: Bool { self >= 0x61 && self <= 0x7A }
    var isASCIILetter: Bool { isASCIIUppercase || isASCIILowercase }
    var isASCIIAlphanumeric: Bool { isASCIIDigit || isASCIILetter }
    /// The value of an ASCII digit.
    var digitValue: Int { Int(self) - 0x30 }
}
