/// The built-in ``SensitivityClassifier``: finds sensitive data by its shape and, where it has one, by
/// its check digits.
///
/// It scans the text parts of every message, whatever its role, and the arguments of every tool call;
/// images are not looked into. Each kind is found by a hand-written scanner in one pass over the
/// text's bytes, so classifying costs a few passes over the request, without regular expressions.
///
/// What each kind covers:
/// - ``SensitiveDataKind/emailAddress``: `local@domain.tld`, not `a@b` or `user@localhost`.
/// - ``SensitiveDataKind/phoneNumber``: E.164 (`+49 30 1234567`, `+1 (555) 123-4567`), North American
///   (`(555) 123-4567`, `555-123-4567`) and national numbers with a trunk `0` (`030 1234567`,
///   `020 7946 0958`); not dates, versions or plain long numbers.
/// - ``SensitiveDataKind/paymentCard``: 13–19 digits, together or grouped by spaces or dashes, passing
///   the Luhn check, with a Visa, Mastercard, American Express, Discover, Diners Club, JCB, UnionPay or
///   Maestro prefix.
/// - ``SensitiveDataKind/iban``: IBANs of the registry's countries, with their length and a valid
///   mod-97 checksum.
/// - ``SensitiveDataKind/nationalIdentifier``: US Social Security numbers (`AAA-GG-SSSS`, issuable
///   ranges only) and UK National Insurance numbers; no other countries' identifiers.
/// - ``SensitiveDataKind/secret``: OpenAI, Anthropic, Google, GitHub, Slack, AWS and Stripe key shapes,
///   PEM private keys and JSON Web Tokens.
public struct PatternSensitivityClassifier: SensitivityClassifier {
    /// Every kind this classifier can find.
    public static let allKinds: Set<SensitiveDataKind> = [
        .emailAddress, .phoneNumber, .paymentCard, .iban, .nationalIdentifier, .secret,
    ]

    /// The scanners for every kind; where two kinds' matches overlap, the earlier scanner's is kept.
    private static let allScanners: [any PatternScanner] = [
        SecretScanner(), PaymentCardScanner(), IBANScanner(), NationalIdentifierScanner(), EmailAddressScanner(),
        PhoneNumberScanner(),
    ]

    private let scanners: [any PatternScanner]

    /// A classifier that looks for `kinds` only; kinds it does not know are ignored.
    public init(kinds: Set<SensitiveDataKind> = PatternSensitivityClassifier.allKinds) {
        scanners = Self.allScanners.filter { kinds.contains($0.kind) }
    }

    /// Every finding in `request`: by message, then in the order of the message's text parts and tool
    /// calls, then by position.
    public func findings(in request: ChatRequest) -> [SensitivityFinding] {
        guard !scanners.isEmpty else { return [] }
        var findings: [SensitivityFinding] = []
        for (messageIndex, message) in request.messages.enumerated() {
            for part in message.content {
                guard case .text(let text) = part else { continue }
                scan(text, messageIndex: messageIndex, into: &findings)
            }
            for call in message.toolCalls {
                scan(call.arguments, messageIndex: messageIndex, into: &findings)
            }
        }
        return findings
    }

    /// Finds every kind in `string`. Where matches of two kinds overlap (digits of an IBAN that also
    /// look like a phone number), only the one of the kind scanned first is kept.
    private func scan(_ string: String, messageIndex: Int, into findings: inout [SensitivityFinding]) {
        guard !string.isEmpty else { return }
        let text = ScannedText(string)
        // Kept sorted by position and free of overlaps, so a match is checked against its two neighbours.
        var found: [(range: Range<Int>, finding: SensitivityFinding)] = []
        for scanner in scanners {
            for match in scanner.matches(in: text) {
                var low = 0
                var high = found.count
                while low < high {
                    let middle = (low + high) / 2
                    if found[middle].range.lowerBound < match.range.lowerBound {
                        low = middle + 1
                    } else {
                        high = middle
                    }
                }
                if low > 0, found[low - 1].range.overlaps(match.range) { continue }
                if low < found.count, found[low].range.overlaps(match.range) { continue }
                let finding = SensitivityFinding(
                    kind: scanner.kind, messageIndex: messageIndex, redactedExcerpt: match.redactedExcerpt)
                found.insert((match.range, finding), at: low)
            }
        }
        findings += found.map(\.finding)
    }
}
