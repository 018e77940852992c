/// Finds government identifiers of people.
///
/// - US Social Security numbers written `AAA-GG-SSSS`, except those never issued: area `000`, `666`
///   or `900`–`999`, group `00`, serial `0000`. Nine digits without dashes are not reported (too many
///   other numbers have nine digits).
/// - UK National Insurance numbers: two prefix letters, six digits and a suffix `A`–`D`, together
///   (`QQ123456C`) or spaced (`QQ 12 34 56 C`), in capitals. The prefix's first letter is not D, F, I,
///   Q, U or V, its second not D, F, I, O, Q, U or V, and it is not one of the unallocated `BG`, `GB`,
///   `KN`, `NK`, `NT`, `TN`, `ZZ`.
///
/// Other countries' identifiers (the German Steuer-ID among them: eleven plain digits with a weak
/// check digit) are not covered; they cannot be told apart from other numbers without context.
struct NationalIdentifierScanner: PatternScanner {
    var kind: SensitiveDataKind { .nationalIdentifier }

    func matches(in text: ScannedText) -> [PatternMatch] {
        var matches: [PatternMatch] = []
        var index = 0
        while index < text.count {
            let byte = text[index]
            var match: PatternMatch?
            if byte.isASCIIDigit {
                match = socialSecurityNumber(at: index, in: text)
            } else if byte.isASCIIUppercase {
                match = nationalInsuranceNumber(at: index, in: text)
            }
            if let match {
                matches.append(match)
                index = match.range.upperBound
            } else {
                index += 1
            }
        }
        return matches
    }

    // MARK: US Social Security number

    private func socialSecurityNumber(at start: Int, in text: ScannedText) -> PatternMatch? {
        guard text.isWordStart(start), !Self.isNumberPunctuation(text.byte(at: start - 1)) else { return nil }
        let dash = UInt8(ascii: "-")
        guard start + 11 <= text.count, text[start + 3] == dash, text[start + 6] == dash else { return nil }
        let digitOffsets = [0, 1, 2, 4, 5, 7, 8, 9, 10]
        guard digitOffsets.allSatisfy({ text[start + $0].isASCIIDigit }) else { return nil }
        let end = start + 11
        guard text.isWordEnd(end),
            !(Self.isNumberPunctuation(text.byte(at: end)) && text.byte(at: end + 1)?.isASCIIDigit == true)
        else { return nil }

        func number(_ offsets: Range<Int>) -> Int {
            offsets.reduce(0) { $0 * 10 + text[start + $1].digitValue }
        }
        let area = number(0..<3)
        guard area != 0, area != 666, area < 900, number(4..<6) != 0, number(7..<11) != 0 else { return nil }
        return PatternMatch(range: start..<end, redactedExcerpt: "***-**-" + text.string((start + 7)..<end))
    }

    /// `-`, `.`, `/` or `+`: next to a number, they make it part of a longer one (a date, a phone number).
    private static func isNumberPunctuation(_ byte: UInt8?) -> Bool {
        byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "/")
            || byte == UInt8(ascii: "+")
    }

    // MARK: UK National Insurance number

    private func nationalInsuranceNumber(at start: Int, in text: ScannedText) -> PatternMatch? {
        guard text.isWordStart(start), let second = text.byte(at: start + 1), second.isASCIIUppercase,
            Self.isValidPrefix(text[start], second)
        else { return nil }
        var position = start + 2
        func skipSpace() {
            if text.byte(at: position) == UInt8(ascii: " ") { position += 1 }
        }
        for _ in 0..<3 {
            skipSpace()
            guard text.byte(at: position)?.isASCIIDigit == true, text.byte(at: position + 1)?.isASCIIDigit == true
            else { return nil }
            position += 2
        }
        skipSpace()
        guard let suffix = text.byte(at: position), (UInt8(ascii: "A")...UInt8(ascii: "D")).contains(suffix),
            text.isWordEnd(position + 1)
        else { return nil }
        let end = position + 1
        let masked = text.bytes[start..<end].enumerated().map { offset, byte in
            offset < 2 || byte == UInt8(ascii: " ") ? byte : UInt8(ascii: "*")
        }
        return PatternMatch(range: start..<end, redactedExcerpt: String(decoding: masked, as: UTF8.self))
    }

    private static func isValidPrefix(_ first: UInt8, _ second: UInt8) -> Bool {
        let prefix = String(decoding: [first, second], as: UTF8.self)
        return !"DFIQUV".utf8.contains(first) && !"DFIOQUV".utf8.contains(second)
            && !["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"].contains(prefix)
    }
}
