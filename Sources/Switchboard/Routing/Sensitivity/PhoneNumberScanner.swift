/// Finds telephone numbers in the shapes people write them in.
///
/// - International (E.164): `+`, a country code and 8–15 digits in all, grouped by single spaces, `-`,
///   `.` or parentheses: `+49 30 1234567`, `+1 (555) 123-4567`, `+44 (0)20 7946 0958` (the `(0)` trunk
///   digit is not counted).
/// - North American: `(555) 123-4567`, `(555)123-4567`, `555-123-4567`, `555.123.4567`, `555 123 4567`,
///   with an optional `1-`/`1 ` prefix; the area code starts with 2–9.
/// - National with a trunk `0`: a 2–5 digit area code starting `0` then 1–9, a space, `-` or `/`, and a
///   6–8 digit subscriber number in one or two groups: `030 1234567`, `089/12345678`, `020 7946 0958`.
///
/// Dates (`2024-01-15`, `01/02/2024`), versions (`1.2.3.4`), IP addresses and long numbers without a
/// phone's separators (`12345678901`, order numbers) do not match, nor does a phone shape that is only
/// part of a longer run of digits.
struct PhoneNumberScanner: PatternScanner {
    var kind: SensitiveDataKind { .phoneNumber }

    func matches(in text: ScannedText) -> [PatternMatch] {
        var matches: [PatternMatch] = []
        var index = 0
        while index < text.count {
            let byte = text[index]
            var end: Int?
            if byte == UInt8(ascii: "+") {
                end = international(at: index, in: text)
            } else if byte.isASCIIDigit || byte == UInt8(ascii: "(") {
                if startsNumber(at: index, in: text) {
                    end = northAmerican(at: index, in: text) ?? trunk(at: index, in: text)
                }
            }
            if let end, endsNumber(at: end, in: text) {
                matches.append(PatternMatch(range: index..<end, redactedExcerpt: Self.mask(text, index..<end)))
                index = end
            } else {
                index += 1
            }
        }
        return matches
    }

    // MARK: Shapes

    /// The end of an E.164 number whose `+` is at `start`.
    private func international(at start: Int, in text: ScannedText) -> Int? {
        guard text.isWordStart(start), text.byte(at: start - 1) != UInt8(ascii: "+"),
            let first = text.byte(at: start + 1), first.isASCIIDigit, first != UInt8(ascii: "0")
        else { return nil }
        var position = start + 1
        var digits = 0
        var end = position
        var inParentheses = false
        while position < text.count {
            let byte = text[position]
            let next = text.byte(at: position + 1)
            if byte.isASCIIDigit {
                digits += 1
                position += 1
                if !inParentheses { end = position }
            } else if byte == UInt8(ascii: "("), !inParentheses {
                if text.hasPrefix("(0)", at: position) {
                    position += 3
                } else {
                    inParentheses = true
                    position += 1
                }
            } else if byte == UInt8(ascii: ")"), inParentheses {
                inParentheses = false
                position += 1
                end = position
            } else if Self.isSeparator(byte), let next, next.isASCIIDigit || next == UInt8(ascii: "(") {
                position += 1
            } else {
                break
            }
            if digits > 15 { return nil }
        }
        guard (8...15).contains(digits), !inParentheses, text[end - 1].isASCIIDigit else { return nil }
        return end
    }

    /// The end of a North American number starting at `start`.
    private func northAmerican(at start: Int, in text: ScannedText) -> Int? {
        var position = start
        if text[position] == UInt8(ascii: "1"), let separator = text.byte(at: position + 1),
            Self.isSeparator(separator),
            let next = text.byte(at: position + 2), next.isASCIIDigit || next == UInt8(ascii: "(")
        {
            position += 2
        }
        if text[position] == UInt8(ascii: "(") {
            guard let area = digits(3, at: position + 1, in: text), text[position + 1] >= UInt8(ascii: "2"),
                text.byte(at: area) == UInt8(ascii: ")")
            else { return nil }
            position = area + 1
            if let byte = text.byte(at: position), byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-") {
                position += 1
            }
            guard let exchange = digits(3, at: position, in: text) else { return nil }
            position = exchange
            if let byte = text.byte(at: position), Self.isSeparator(byte) { position += 1 }
            return digits(4, at: position, in: text)
        }
        guard let area = digits(3, at: position, in: text), text[position] >= UInt8(ascii: "2"),
            let separator = text.byte(at: area), Self.isSeparator(separator),
            let exchange = digits(3, at: area + 1, in: text), text.byte(at: exchange) == separator
        else { return nil }
        return digits(4, at: exchange + 1, in: text)
    }

    /// The end of a national number with a trunk `0` starting at `start`.
    private func trunk(at start: Int, in text: ScannedText) -> Int? {
        guard text[start] == UInt8(ascii: "0"), let second = text.byte(at: start + 1), second.isASCIIDigit,
            second != UInt8(ascii: "0")
        else { return nil }
        let area = text.run(from: start, limit: 6, while: \.isASCIIDigit)
        guard (2...5).contains(area), let separator = text.byte(at: start + area),
            separator == UInt8(ascii: " ") || separator == UInt8(ascii: "-") || separator == UInt8(ascii: "/")
        else { return nil }
        let groupStart = start + area + 1
        let group = text.run(from: groupStart, limit: 9, while: \.isASCIIDigit)
        guard group >= 3, group <= 8 else { return nil }
        var end = groupStart + group
        var subscriber = group
        if let byte = text.byte(at: end), byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-") {
            let second = text.run(from: end + 1, limit: 6, while: \.isASCIIDigit)
            if second >= 2, subscriber + second <= 8, text.isWordEnd(end + 1 + second) {
                subscriber += second
                end += 1 + second
            }
        }
        return (6...8).contains(subscriber) ? end : nil
    }

    // MARK: Helpers

    /// The end of exactly `count` digits at `start` (not followed by another digit).
    private func digits(_ count: Int, at start: Int, in text: ScannedText) -> Int? {
        guard text.run(from: start, limit: count + 1, while: \.isASCIIDigit) == count else { return nil }
        return start + count
    }

    /// Whether a national number may start at `index`: not inside a word, after a `+`, or after a
    /// digit and a separator (the tail of a longer number, a date, a version, a grouped IBAN).
    private func startsNumber(at index: Int, in text: ScannedText) -> Bool {
        guard text.isWordStart(index), let previous = text.byte(at: index - 1) else { return index == 0 }
        if previous == UInt8(ascii: "+") { return false }
        if previous == UInt8(ascii: "-") || previous == UInt8(ascii: ".") || previous == UInt8(ascii: "/")
            || previous == UInt8(ascii: " ")
        {
            return text.byte(at: index - 2)?.isASCIIDigit != true
        }
        return true
    }

    /// Whether a number may end just before `index`: not followed by a letter or digit, nor by a
    /// separator and a digit (the head of a longer number).
    private func endsNumber(at index: Int, in text: ScannedText) -> Bool {
        guard text.isWordEnd(index), let next = text.byte(at: index) else { return true }
        if next == UInt8(ascii: "-") || next == UInt8(ascii: ".") || next == UInt8(ascii: "/") {
            return text.byte(at: index + 1)?.isASCIIDigit != true
        }
        return true
    }

    private static func isSeparator(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }

    /// Every digit but the last two masked, separators kept: `+** ** *****67`.
    private static func mask(_ text: ScannedText, _ range: Range<Int>) -> String {
        var remaining = text.bytes[range].filter(\.isASCIIDigit).count
        var masked: [UInt8] = []
        for byte in text.bytes[range] {
            if byte.isASCIIDigit {
                masked.append(remaining > 2 ? UInt8(ascii: "*") : byte)
                remaining -= 1
            } else {
                masked.append(byte)
            }
        }
        return String(decoding: masked, as: UTF8.self)
    }
}
