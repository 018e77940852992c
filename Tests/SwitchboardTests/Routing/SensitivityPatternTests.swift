import Testing

@testable import Switchboard

/// Each kind's true positives, in every position in a text, and its near misses.
@Suite struct SensitivityPatternTests {
    /// A value and the kind it must be found as.
    struct Sample: CustomTestStringConvertible, Sendable {
        var kind: SensitiveDataKind
        var value: String
        var testDescription: String { "\(kind): \(value)" }
        init(_ kind: SensitiveDataKind, _ value: String) {
            self.kind = kind
            self.value = value
        }
    }

    // Key-shaped samples are built from pieces so that the repository holds no key-shaped literal.
    static let openAIKey = "sk-" + "proj-" + "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z"
    static let anthropicKey = "sk-" + "ant-api03-" + "Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe"
    static let googleKey = "AI" + "zaSyD4f9Kq2Lm8Np3Rs7Tu1Vw5Xy0Za6Bc9dE"
    static let gitHubToken = "gh" + "p_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
    static let gitHubPAT = "github" + "_pat_" + "11ABCDEFG0abcdefghijklmnopqrstuv"
    static let slackToken = "xo" + "xb-" + "123456789012-abcdefABCDEF"
    static let awsKey = "AK" + "IA" + "IOSFODNN7EXAMPLE"
    static let awsSessionKey = "AS" + "IA" + "Q3EGRMF7NXLV2K8P"
    static let stripeKey = "sk" + "_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
    static let stripeRestrictedKey = "rk" + "_live_" + "51H8s0aKZvKYlo2C0aBcDeFg"
    static let jwt =
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9" + ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0"
        + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
    static let pemKey = "-----BEGIN " + "RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7b3x\n-----END RSA PRIVATE KEY-----"
    static let openSSHKey = "-----BEGIN " + "OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END"

    static let positives: [Sample] = [
        Sample(.emailAddress, "john.doe@example.com"),
        Sample(.emailAddress, "jane+news@mail.example.co.uk"),
        Sample(.emailAddress, "OPS_team-1@sub.example-corp.io"),
        Sample(.phoneNumber, "+49 30 1234567"),
        Sample(.phoneNumber, "+1 (555) 123-4567"),
        Sample(.phoneNumber, "+44 (0)20 7946 0958"),
        Sample(.phoneNumber, "+14155552671"),
        Sample(.phoneNumber, "+33.1.23.45.67.89"),
        Sample(.phoneNumber, "(555) 123-4567"),
        Sample(.phoneNumber, "555-123-4567"),
        Sample(.phoneNumber, "555.123.4567"),
        Sample(.phoneNumber, "1-800-555-0199"),
        Sample(.phoneNumber, "030 1234567"),
        Sample(.phoneNumber, "089/12345678"),
        Sample(.phoneNumber, "020 7946 0958"),
        Sample(.paymentCard, "4242 4242 4242 4242"),
        Sample(.paymentCard, "4242-4242-4242-4242"),
        Sample(.paymentCard, "4111111111111111"),
        Sample(.paymentCard, "5555 5555 5555 4444"),
        Sample(.paymentCard, "2223 0031 2200 3222"),
        Sample(.paymentCard, "3782 822463 10005"),
        Sample(.paymentCard, "6011 1111 1111 1117"),
        Sample(.paymentCard, "3530 1113 3330 0000"),
        Sample(.paymentCard, "4222 2222 2222 2"),
        Sample(.iban, "DE89 3704 0044 0532 0130 00"),
        Sample(.iban, "DE89370400440532013000"),
        Sample(.iban, "GB82 WEST 1234 5698 7654 32"),
        Sample(.iban, "FR14 2004 1010 0505 0001 3M02 606"),
        Sample(.iban, "ES9121000418450200051332"),
        Sample(.iban, "IT60X0542811101000000123456"),
        Sample(.iban, "NL91ABNA0417164300"),
        Sample(.iban, "CH9300762011623852957"),
        Sample(.iban, "BE68539007547034"),
        Sample(.iban, "AT611904300234573201"),
        Sample(.iban, "PL61 1090 1014 0000 0712 1981 2874"),
        Sample(.iban, "nl91abna0417164300"),
        Sample(.nationalIdentifier, "123-45-6789"),
        Sample(.nationalIdentifier, "536-90-4399"),
        Sample(.nationalIdentifier, "AB123456C"),
        Sample(.nationalIdentifier, "AB 12 34 56 C"),
        Sample(.nationalIdentifier, "JG 103759 A"),
        Sample(.secret, openAIKey),
        Sample(.secret, anthropicKey),
        Sample(.secret, googleKey),
        Sample(.secret, gitHubToken),
        Sample(.secret, gitHubPAT),
        Sample(.secret, slackToken),
        Sample(.secret, awsKey),
        Sample(.secret, awsSessionKey),
        Sample(.secret, stripeKey),
        Sample(.secret, stripeRestrictedKey),
        Sample(.secret, jwt),
        Sample(.secret, pemKey),
        Sample(.secret, openSSHKey),
        Sample(.secret, "-----BEGIN " + "PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC"),
        Sample(.secret, "-----BEGIN " + "ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkq"),
    ]

    /// The ways a value is embedded in text: alone, at the start, at the end, in running text, in
    /// brackets, quoted, before punctuation, after a line break.
    static let contexts: [@Sendable (String) -> String] = [
        { $0 },
        { "\($0) is what I have." },
        { "Please use this one: \($0)" },
        { "My details are \($0) and nothing else." },
        { "(\($0))" },
        { "value=\"\($0)\";" },
        { "It is \($0). Thanks!" },
        { "Line one\n\($0),\nline three" },
    ]

    @Test(arguments: positives) func isFoundAlone(_ sample: Sample) {
        for context in Self.contexts {
            let text = context(sample.value)
            let found = findings(in: text)
            #expect(found.map(\.kind) == [sample.kind], "in \(text.debugDescription)")
        }
    }

    @Test(arguments: positives) func excerptNeverHoldsTheValue(_ sample: Sample) throws {
        let finding = try #require(findings(in: "before \(sample.value) after").first)
        let compact = sample.value.filter { !" -.()/".contains($0) }
        #expect(!finding.redactedExcerpt.contains(sample.value))
        #expect(!finding.redactedExcerpt.filter { !" -.()/".contains($0) }.contains(compact))
        #expect(finding.redactedExcerpt.contains("*"))
    }

    @Test func excerptsHaveTheDocumentedShape() {
        #expect(excerpts(in: "mail john@example.com now") == ["j***@e***.com"])
        #expect(excerpts(in: "card 4242 4242 4242 4242") == ["**** **** **** 4242"])
        #expect(excerpts(in: "card 4111111111111111") == ["************1111"])
        #expect(excerpts(in: "iban DE89 3704 0044 0532 0130 00") == ["DE** **** **** **** **30 00"])
        #expect(excerpts(in: "ssn 123-45-6789") == ["***-**-6789"])
        #expect(excerpts(in: "nino AB 12 34 56 C") == ["AB ** ** ** *"])
        #expect(excerpts(in: "call 555-123-4567") == ["***-***-**67"])
        #expect(excerpts(in: "key \(Self.awsKey)") == ["AKIA****"])
        #expect(excerpts(in: Self.pemKey) == ["-----BEGIN RSA PRIVATE KEY-----****"])
    }

    @Test(arguments: [
        // E-mail
        "a@b", "write to a@b.", "user@localhost", "icon@2x.png and logo@3x.jpg", "npm i left-pad@1.3.0",
        "ping @channel now", "john@", "@example.com", "john@example.c", "john@-example.com", "john..doe@example.com",
        // Phone
        "released on 2024-01-15", "dates 01/02/2024 and 15.01.2024", "version 1.2.3.4", "macOS 10.15.7",
        "order number 12345678901", "order #5551234567", "ORD-2024-001234", "host 192.168.100.200",
        "+1.2.3", "call 555-123-45678", "id 555-123-4567-89", "1234-567-8901",
        "the range 100-200-3000", "3:00 to 4:30 pm", "ISBN 978-3-16-148410-0",
        // Payment card
        "4242 4242 4242 4241", "4242424242424241", "1234 5678 9012 3456", "9999 9999 9999 9995",
        "4242 4242 4242 42424", "42424242424242424242", "card 4242 4242", "x4242424242424242",
        "4242 42 4242 4242 4242", "version 4.242.4242.4242.4242",
        // IBAN
        "DE89 3704 0044 0532 0130 01", "GB82WEST12345698765431", "DE89 3704 0044 0532 0130", "DE8937040044053201300012",
        "XX89370400440532013000", "De89370400440532013000", "ADE89370400440532013000",
        // National identifiers
        "000-12-3456", "666-12-3456", "900-12-3456", "123-00-4567", "123-45-0000", "123456789", "123-45-67890",
        "1123-45-6789", "BG123456A", "GB123456A", "DA123456A", "AO123456A", "AB123456E", "AB12345C", "XAB123456C",
        // Secrets
        "task-force-alpha-bravo-charlie-delta", "sk-learn-is-a-great-library-for-ml", "sk-1234", "AKIA123",
        "AKIAIOSFODNN7EXAMPL", "AKIAIOSFODNN7EXAMPLEX", "maskAKIAIOSFODNN7EXAMPLE", "-----BEGIN PUBLIC KEY-----",
        "-----BEGIN CERTIFICATE-----", "eyJhbGciOiJIUzI1NiJ9", "eyJhbGciOiJIUzI1NiJ9.e30.abc", "ghp_short",
        "xoxb-notatoken",
    ])
    func nearMissIsNotFound(_ text: String) {
        #expect(findings(in: text).isEmpty)
    }

    @Test func luhnAndMod97() {
        #expect(PaymentCardScanner.passesLuhn([4, 2, 4, 2, 4, 2, 4, 2, 4, 2, 4, 2, 4, 2, 4, 2]))
        #expect(!PaymentCardScanner.passesLuhn([4, 2, 4, 2, 4, 2, 4, 2, 4, 2, 4, 2, 4, 2, 4, 1]))
        #expect(IBANScanner.passesMod97(Array("GB82WEST12345698765432".utf8)))
        #expect(!IBANScanner.passesMod97(Array("GB82WEST12345698765433".utf8)))
    }

    @Test func cardFollowedByExpiryOrCodeIsFound() {
        #expect(excerpts(in: "4242 4242 4242 4242 12/29") == ["**** **** **** 4242"])
        #expect(excerpts(in: "4242 4242 4242 4242 123") == ["**** **** **** 4242"])
        #expect(excerpts(in: "qty 2 4242 4242 4242 4242") == ["**** **** **** 4242"])
    }

    @Test func valuesInJSONStringsAreFound() {
        let json = #"{"note":"first line\n555-123-4567\tand\njohn@example.com"}"#
        #expect(findings(in: json).map(\.kind) == [.phoneNumber, .emailAddress])
    }

    private func findings(in text: String) -> [SensitivityFinding] {
        PatternSensitivityClassifier().findings(in: ChatRequest(messages: [.user(text)]))
    }

    private func excerpts(in text: String) -> [String] {
        findings(in: text).map(\.redactedExcerpt)
    }
}
