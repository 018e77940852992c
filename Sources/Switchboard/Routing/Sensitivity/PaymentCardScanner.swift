/// Finds payment card numbers: 13–19 digits that pass the Luhn check and start with a known issuer
/// prefix for their length.
///
/// The digits may be written together (`4242424242424242`) or in groups split by single spaces or by
/// dashes, one kind throughout: `4242 4242 4242 4242`, `3782-822463-10005` (4-4-4-4…, 4-6-5, 4-6-4).
/// A run of digits longer than 19, or glued to letters, is not a card.
///
/// Issuers: Visa `4` (13, 16, 19 digits); Mastercard `51`–`55` and `2221`–`2720` (16); American Express
/// `34`, `37` (15); Discover `6011`, `644`–`649`, `65` (16–19); Diners Club `300`–`305`, `36`, `38`,
/// `39` (14–19); JCB `3528`–`3589` (16–19); UnionPay `62` (16–19); Maestro `5018`, `5020`, `5038`,
/// `5893`, `6304`, `6759`, `6761`–`6763` (13–19).
struct PaymentCardScanner: PatternScanner {
    var kind: SensitiveDataKind { .paymentCard }

    func matches(in text: ScannedText) -> [PatternMatch] {
        var matches: [PatternMatch] = []
        var index = 0
        while index < text.count {
            guard text[index].isASCIIDigit, text.isWordStart(index), !Self.continuesNumber(before: index, in: text)
            else {
                index += 1
                continue
            }
            let run = Self.digitRun(at: index, in: text)
            if let end = Self.cardEnd(in: run), text.isWordEnd(end) {
                matches.append(PatternMatch(range: index..<end, redactedExcerpt: Self.mask(text, index..<end)))
                index = end
            } else if run.separator == UInt8(ascii: " "), run.groupEnds.count > 1 {
                // Words of digits: a card may start at the next one (`qty 2 4242 4242 4242 4242`).
                index = run.groupEnds[0] + 1
            } else {
                // No card starts inside a run of digits glued by dashes or by nothing.
                index = run.end
            }
        }
        return matches
    }

    /// Digits in groups, as written: the groups' digits and where each group ends.
    private struct DigitRun {
        var groups: [[Int]] = [[]]
        var groupEnds: [Int] = []
        var separator: UInt8?
        var end: Int = 0
    }

    /// The digits from `start` on, with single spaces or dashes (one kind) between groups.
    private static func digitRun(at start: Int, in text: ScannedText) -> DigitRun {
        var run = DigitRun()
        var position = start
        var count = 0
        while position < text.count, count <= 40 {
            let byte = text[position]
            if byte.isASCIIDigit {
                run.groups[run.groups.count - 1].append(byte.digitValue)
                count += 1
                position += 1
            } else if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "-"),
                run.separator == nil || run.separator == byte,
                text.byte(at: position + 1)?.isASCIIDigit == true
            {
                run.separator = byte
                run.groupEnds.append(position)
                run.groups.append([])
                position += 1
            } else {
                break
            }
        }
        run.groupEnds.append(position)
        // A very long run is swallowed whole.
        position += text.run(from: position) { $0.isASCIIDigit || $0 == run.separator }
        run.end = position
        return run
    }

    /// Where the card in `run` ends: the whole run, or, when the run is grouped by spaces, its first
    /// groups (a card number followed by an expiry date or a code: `4242 4242 4242 4242 123`).
    private static func cardEnd(in run: DigitRun) -> Int? {
        let lengths = run.groups.map(\.count)
        let counts =
            run.separator == UInt8(ascii: " ")
            ? Array(stride(from: run.groups.count, through: 1, by: -1)) : [run.groups.count]
        for count in counts {
            let digits = run.groups.prefix(count).flatMap { $0 }
            if digits.count > 19 { continue }
            if digits.count < 13 { return nil }
            if isCard(digits, groups: Array(lengths.prefix(count))) { return run.groupEnds[count - 1] }
        }
        return nil
    }

    private static func isCard(_ digits: [Int], groups: [Int]) -> Bool {
        guard (13...19).contains(digits.count), isGroupingPlausible(groups), passesLuhn(digits) else { return false }
        return issuerAccepts(digits)
    }

    /// Ungrouped, or groups of four with a shorter last group, or Amex/Diners' 4-6-5 and 4-6-4.
    private static func isGroupingPlausible(_ groups: [Int]) -> Bool {
        if groups.count == 1 { return true }
        if groups == [4, 6, 5] || groups == [4, 6, 4] { return true }
        return groups.dropLast().allSatisfy { $0 == 4 } && (1...4).contains(groups.last ?? 0)
    }

    static func passesLuhn(_ digits: [Int]) -> Bool {
        var sum = 0
        for (offset, digit) in digits.reversed().enumerated() {
            if offset % 2 == 1 {
                let doubled = digit * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += digit
            }
        }
        return sum % 10 == 0
    }

    /// Whether a known issuer uses the number's prefix with its length.
    private static func issuerAccepts(_ digits: [Int]) -> Bool {
        func prefix(_ count: Int) -> Int { digits.prefix(count).reduce(0) { $0 * 10 + $1 } }
        let length = digits.count
        let two = prefix(2)
        let three = prefix(3)
        let four = prefix(4)
        if digits[0] == 4 { return [13, 16, 19].contains(length) }  // Visa
        if (51...55).contains(two) || (2221...2720).contains(four) { return length == 16 }  // Mastercard
        if two == 34 || two == 37 { return length == 15 }  // American Express
        if four == 6011 || (644...649).contains(three) || two == 65 { return length >= 16 }  // Discover
        if (300...305).contains(three) || [36, 38, 39].contains(two) { return length >= 14 }  // Diners Club
        if (3528...3589).contains(four) { return length >= 16 }  // JCB
        if two == 62 { return length >= 16 }  // UnionPay
        return [5018, 5020, 5038, 5893, 6304, 6759, 6761, 6762, 6763].contains(four)  // Maestro
    }

    /// Whether the byte before `index` is a `.`, `-` or `/` after a digit: the digits there continue a
    /// number (a decimal, a date, a reference) rather than start one.
    private static func continuesNumber(before index: Int, in text: ScannedText) -> Bool {
        guard let previous = text.byte(at: index - 1),
            previous == UInt8(ascii: ".") || previous == UInt8(ascii: "-") || previous == UInt8(ascii: "/")
        else { return false }
        return text.byte(at: index - 2)?.isASCIIDigit == true
    }

    /// Every digit but the last four masked, separators kept: `**** **** **** 4242`.
    private static func mask(_ text: ScannedText, _ range: Range<Int>) -> String {
        var remaining = text.bytes[range].filter(\.isASCIIDigit).count
        var masked: [UInt8] = []
        for byte in text.bytes[range] {
            if byte.isASCIIDigit {
                masked.append(remaining > 4 ? UInt8(ascii: "*") : byte)
                remaining -= 1
            } else {
                masked.append(byte)
            }
        }
        return String(decoding: masked, as: UTF8.self)
    }
}
