/// Finds e-mail addresses: `local@domain.tld`, with a dotted domain whose last label is 2–24 letters.
///
/// The local part takes letters, digits and `. _ % + -` (the characters real addresses use; RFC 5322's
/// rarer ones would match too much code). `a@b`, `user@localhost`, `pkg@1.2.3` and image names like
/// `icon@2x.png` are not addresses.
struct EmailAddressScanner: PatternScanner {
    var kind: SensitiveDataKind { .emailAddress }

    func matches(in text: ScannedText) -> [PatternMatch] {
        var matches: [PatternMatch] = []
        var index = 0
        while index < text.count {
            guard text[index] == UInt8(ascii: "@") else {
                index += 1
                continue
            }
            if let match = match(at: index, in: text) {
                matches.append(match)
                index = match.range.upperBound
            } else {
                index += 1
            }
        }
        return matches
    }

    /// The address around the `@` at `at`, if there is one.
    private func match(at: Int, in text: ScannedText) -> PatternMatch? {
        // The local part, backwards from the "@"; at most 64 bytes.
        var start = at
        while start > 0, at - start < 64, Self.isLocal(text[start - 1]) { start -= 1 }
        while start < at, text[start] == UInt8(ascii: ".") { start += 1 }
        guard start < at, text[at - 1] != UInt8(ascii: "."), !text.bytes[start..<at].containsDoubleDot else {
            return nil
        }

        // The domain: labels of letters, digits and inner hyphens, joined by dots.
        var labels: [Range<Int>] = []
        var position = at + 1
        while true {
            let length = text.run(from: position, limit: 64) { $0.isASCIIAlphanumeric || $0 == UInt8(ascii: "-") }
            guard length > 0 else { break }
            let label = position..<(position + length)
            guard text[label.lowerBound] != UInt8(ascii: "-"), text[label.upperBound - 1] != UInt8(ascii: "-")
            else { return nil }
            labels.append(label)
            position = label.upperBound
            guard text.byte(at: position) == UInt8(ascii: "."),
                text.byte(at: position + 1)?.isASCIIAlphanumeric == true
            else { break }
            position += 1
        }
        guard labels.count >= 2, let tld = labels.last, (2...24).contains(tld.count),
            text.bytes[tld].allSatisfy(\.isASCIILetter), text.isWordEnd(tld.upperBound),
            text.byte(at: tld.upperBound) != UInt8(ascii: "@")
        else { return nil }
        if labels.count == 2, Self.isImageScale(text.bytes[labels[0]]) { return nil }

        let excerpt =
            text.string(start..<(start + 1)) + "***@" + text.string(labels[0].lowerBound..<(labels[0].lowerBound + 1))
            + "***." + text.string(tld)
        return PatternMatch(range: start..<tld.upperBound, redactedExcerpt: excerpt)
    }

    private static func isLocal(_ byte: UInt8) -> Bool {
        byte.isASCIIAlphanumeric || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: "%") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
    }

    /// `2x`, `3x`: the scale suffix of an image file name (`icon@2x.png`).
    private static func isImageScale(_ label: ArraySlice<UInt8>) -> Bool {
        label.count >= 2 && label.last == UInt8(ascii: "x") && label.dropLast().allSatisfy(\.isASCIIDigit)
    }
}

extension ArraySlice<UInt8> {
    fileprivate var containsDoubleDot: Bool {
        zip(self, dropFirst()).contains { $0 == UInt8(ascii: ".") && $1 == UInt8(ascii: ".") }
    }
}
