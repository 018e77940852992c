/// Finds credentials by their shape.
///
/// - API keys and tokens: OpenAI `sk-…`, `sk-proj-…` and Anthropic `sk-ant-…` (20+ characters after the
///   prefix, with a digit); Google `AIza` + 35; GitHub `ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` + 30 or
///   more and `github_pat_` + 22 or more; Slack `xoxb-`, `xoxa-`, `xoxp-`, `xoxr-`, `xoxs-` + 10 or more
///   (with a digit); AWS access key ids `AKIA`/`ASIA` + 16 capitals or digits; Stripe `sk_live_` and
///   `rk_live_` + 16 or more.
/// - PEM private keys: a `-----BEGIN … PRIVATE KEY-----` line (RSA, EC, DSA, OpenSSH, PKCS #8, encrypted).
/// - JSON Web Tokens: three dot-separated base64url parts, the first two starting `eyJ` (a JSON object).
///
/// A key must stand alone: a prefix inside a longer word (`task-…`, `maskAKIA…`) is not a key.
struct SecretScanner: PatternScanner {
    var kind: SensitiveDataKind { .secret }

    /// A key shape: a prefix, then a body of key characters whose length is in `length`.
    private struct KeyShape: Sendable {
        var prefix: String
        var length: ClosedRange<Int>
        var characters: @Sendable (UInt8) -> Bool = SecretScanner.isTokenByte
        var needsDigit = false
    }

    private static let keyShapes: [KeyShape] = [
        KeyShape(prefix: "sk-ant-", length: 20...400, needsDigit: true),
        KeyShape(prefix: "sk-proj-", length: 20...400, needsDigit: true),
        KeyShape(prefix: "sk-", length: 20...400, needsDigit: true),
        KeyShape(prefix: "sk_live_", length: 16...400, characters: \.isASCIIAlphanumeric),
        KeyShape(prefix: "rk_live_", length: 16...400, characters: \.isASCIIAlphanumeric),
        KeyShape(prefix: "AIza", length: 35...35),
        KeyShape(prefix: "ghp_", length: 30...255, characters: \.isASCIIAlphanumeric),
        KeyShape(prefix: "gho_", length: 30...255, characters: \.isASCIIAlphanumeric),
        KeyShape(prefix: "ghu_", length: 30...255, characters: \.isASCIIAlphanumeric),
        KeyShape(prefix: "ghs_", length: 30...255, characters: \.isASCIIAlphanumeric),
        KeyShape(prefix: "ghr_", length: 30...255, characters: \.isASCIIAlphanumeric),
        KeyShape(prefix: "github_pat_", length: 22...255, characters: { $0.isASCIIAlphanumeric || $0 == 0x5F }),
        KeyShape(prefix: "xoxb-", length: 10...255, needsDigit: true),
        KeyShape(prefix: "xoxa-", length: 10...255, needsDigit: true),
        KeyShape(prefix: "xoxp-", length: 10...255, needsDigit: true),
        KeyShape(prefix: "xoxr-", length: 10...255, needsDigit: true),
        KeyShape(prefix: "xoxs-", length: 10...255, needsDigit: true),
        KeyShape(prefix: "AKIA", length: 16...16, characters: { $0.isASCIIUppercase || $0.isASCIIDigit }),
        KeyShape(prefix: "ASIA", length: 16...16, characters: { $0.isASCIIUppercase || $0.isASCIIDigit }),
    ]

    /// The bytes a key shape may start with, for a cheap first test.
    private static let firstBytes = Set(keyShapes.map { $0.prefix.utf8.first! } + [UInt8(ascii: "-"), 0x65])

    func matches(in text: ScannedText) -> [PatternMatch] {
        var matches: [PatternMatch] = []
        var index = 0
        while index < text.count {
            guard Self.firstBytes.contains(text[index]), Self.isTokenStart(index, in: text),
                let match = privateKey(at: index, in: text) ?? webToken(at: index, in: text)
                    ?? apiKey(at: index, in: text)
            else {
                index += 1
                continue
            }
            matches.append(match)
            index = match.range.upperBound
        }
        return matches
    }

    private func apiKey(at start: Int, in text: ScannedText) -> PatternMatch? {
        for shape in Self.keyShapes where text.hasPrefix(shape.prefix, at: start) {
            let bodyStart = start + shape.prefix.utf8.count
            let body = text.run(from: bodyStart, limit: shape.length.upperBound + 1, while: shape.characters)
            let end = bodyStart + body
            guard shape.length.contains(body), Self.isTokenEnd(end, in: text) else { continue }
            if shape.needsDigit, !text.bytes[bodyStart..<end].contains(where: \.isASCIIDigit) { continue }
            return PatternMatch(range: start..<end, redactedExcerpt: shape.prefix + "****")
        }
        return nil
    }

    private func privateKey(at start: Int, in text: ScannedText) -> PatternMatch? {
        guard text.hasPrefix("-----BEGIN ", at: start) else { return nil }
        let labelStart = start + 11
        let label = text.run(from: labelStart, limit: 48) { $0.isASCIIUppercase || $0.isASCIIDigit || $0 == 0x20 }
        let end = labelStart + label
        guard text.string(labelStart..<end).hasSuffix("PRIVATE KEY"), text.hasPrefix("-----", at: end) else {
            return nil
        }
        return PatternMatch(
            range: start..<(end + 5), redactedExcerpt: "-----BEGIN \(text.string(labelStart..<end))-----****")
    }

    private func webToken(at start: Int, in text: ScannedText) -> PatternMatch? {
        guard text.hasPrefix("eyJ", at: start) else { return nil }
        var position = start
        for part in 0..<3 {
            if part > 0 {
                guard text.byte(at: position) == UInt8(ascii: "."), part == 2 || text.hasPrefix("eyJ", at: position + 1)
                else { return nil }
                position += 1
            }
            let length = text.run(from: position, while: Self.isTokenByte)
            guard length >= (part == 2 ? 16 : 10) else { return nil }
            position += length
        }
        // A fourth part makes it something else (a dotted identifier).
        guard Self.isTokenEnd(position, in: text),
            !(text.byte(at: position) == UInt8(ascii: ".") && text.byte(at: position + 1).map(Self.isTokenByte) == true)
        else { return nil }
        return PatternMatch(range: start..<position, redactedExcerpt: "eyJ****.****.****")
    }

    /// Letters, digits, `_` and `-`: the characters of keys and base64url.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        byte.isASCIIAlphanumeric || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }

    private static func isTokenStart(_ index: Int, in text: ScannedText) -> Bool {
        guard text.isWordStart(index) else { return false }
        guard let previous = text.byte(at: index - 1) else { return true }
        return previous != UInt8(ascii: "_") && previous != UInt8(ascii: "-") || text[index] == UInt8(ascii: "-")
    }

    private static func isTokenEnd(_ index: Int, in text: ScannedText) -> Bool {
        guard let next = text.byte(at: index) else { return true }
        return !isTokenByte(next)
    }
}
