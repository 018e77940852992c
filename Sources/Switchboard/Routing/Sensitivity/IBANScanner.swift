/// Finds International Bank Account Numbers (ISO 13616).
///
/// A two-letter country code, two check digits and the national account number (letters and digits),
/// written together or in groups split by single spaces, in capitals or all in small letters. The
/// length must be the one the IBAN registry gives the country (DE 22, GB 22, FR 27, ES 24, IT 27, NL 18,
/// CH 21, BE 16, AT 20, PL 28 and the other registered countries below), and the number must pass the
/// mod-97 check, so an IBAN with one wrong character is not reported.
struct IBANScanner: PatternScanner {
    var kind: SensitiveDataKind { .iban }

    func matches(in text: ScannedText) -> [PatternMatch] {
        var matches: [PatternMatch] = []
        var index = 0
        while index + 4 < text.count {
            if text[index].isASCIILetter, text.isWordStart(index), let match = match(at: index, in: text) {
                matches.append(match)
                index = match.range.upperBound
            } else {
                index += 1
            }
        }
        return matches
    }

    private func match(at start: Int, in text: ScannedText) -> PatternMatch? {
        let first = text[start]
        let second = text[start + 1]
        let uppercase = first.isASCIIUppercase
        guard uppercase ? second.isASCIIUppercase : first.isASCIILowercase && second.isASCIILowercase,
            text[start + 2].isASCIIDigit, text[start + 3].isASCIIDigit,
            let length = Self.lengths[String(decoding: [first & 0xDF, second & 0xDF], as: UTF8.self)]
        else { return nil }

        // Collect `length` characters, allowing single spaces between them.
        var characters: [UInt8] = [first & 0xDF, second & 0xDF]
        var position = start + 2
        while characters.count < length, position < text.count {
            var byte = text[position]
            if byte == UInt8(ascii: " "), characters.count >= 4, let next = text.byte(at: position + 1),
                next.isASCIIAlphanumeric
            {
                position += 1
                byte = next
            }
            guard byte.isASCIIDigit || (uppercase ? byte.isASCIIUppercase : byte.isASCIILowercase) else {
                return nil
            }
            characters.append(byte.isASCIILowercase ? byte & 0xDF : byte)
            position += 1
        }
        guard characters.count == length, text.isWordEnd(position), Self.passesMod97(characters) else { return nil }
        return PatternMatch(range: start..<position, redactedExcerpt: Self.mask(text, start..<position))
    }

    /// ISO 7064 mod 97-10 over the rearranged IBAN (the first four characters moved to the end,
    /// letters as 10–35): the remainder must be 1.
    static func passesMod97(_ characters: [UInt8]) -> Bool {
        var remainder = 0
        for byte in characters.dropFirst(4) + characters.prefix(4) {
            if byte.isASCIIDigit {
                remainder = (remainder * 10 + byte.digitValue) % 97
            } else {
                remainder = (remainder * 100 + Int(byte) - 55) % 97
            }
        }
        return remainder == 1
    }

    /// The country code and the last four characters kept, the rest masked: `DE** **** … **30 00`.
    private static func mask(_ text: ScannedText, _ range: Range<Int>) -> String {
        var remaining = text.bytes[range].filter(\.isASCIIAlphanumeric).count
        var masked: [UInt8] = []
        for (offset, byte) in text.bytes[range].enumerated() {
            if byte.isASCIIAlphanumeric {
                masked.append(offset < 2 || remaining <= 4 ? byte : UInt8(ascii: "*"))
                remaining -= 1
            } else {
                masked.append(byte)
            }
        }
        return String(decoding: masked, as: UTF8.self)
    }

    /// The IBAN length of each country in the SWIFT IBAN registry.
    static let lengths: [String: Int] = [
        "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29,
        "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29,
        "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28,
        "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20,
        "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
        "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29,
        "RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28,
        "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
    ]
}
