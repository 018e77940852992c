import Testing

@testable import Switchboard

/// How ``PatternSensitivityClassifier`` reads a whole request.
@Suite struct SensitivityClassifierTests {
    let classifier = PatternSensitivityClassifier()

    @Test func ordinaryRequestHasNoFindings() {
        let request = ChatRequest(messages: [
            .system("You are a helpful assistant. Today is 2024-01-15."),
            .user("Summarise the release notes of version 1.2.3.4 (build 20240115) for order 12345678901."),
            .assistant("Sure: 3 fixes, 2 features; see https://example.com/notes?id=42."),
        ])
        #expect(classifier.findings(in: request).isEmpty)
    }

    @Test func findingsCarryTheMessageIndex() {
        let request = ChatRequest(messages: [
            .system("Be brief."),
            .user("Hello"),
            .assistant("Hi, how can I help?"),
            .user("Charge 4242 4242 4242 4242 please"),
        ])
        let findings = classifier.findings(in: request)
        #expect(
            findings == [
                SensitivityFinding(kind: .paymentCard, messageIndex: 3, redactedExcerpt: "**** **** **** 4242")
            ])
    }

    @Test func everyRoleIsScanned() {
        let request = ChatRequest(messages: [
            .system("Escalate to ops@example.com."),
            .user("My number is 555-123-4567."),
            .assistant("Noted your SSN 123-45-6789."),
            .tool(callID: "call_1", "IBAN on file: GB82 WEST 1234 5698 7654 32"),
        ])
        let findings = classifier.findings(in: request)
        #expect(findings.map(\.messageIndex) == [0, 1, 2, 3])
        #expect(findings.map(\.kind) == [.emailAddress, .phoneNumber, .nationalIdentifier, .iban])
    }

    @Test func multipleFindingsInOneMessageComeInTextOrder() {
        let text = """
            Name: Jane Roe, jane.roe@example.org, +44 20 7946 0958.
            Card 5555-5555-5555-4444, IBAN DE89370400440532013000, NI AB123456C.
            """
        let findings = classifier.findings(in: ChatRequest(messages: [.user(text)]))
        #expect(findings.map(\.kind) == [.emailAddress, .phoneNumber, .paymentCard, .iban, .nationalIdentifier])
        #expect(findings.allSatisfy { $0.messageIndex == 0 })
    }

    @Test func everyTextPartIsScannedAndImagesAreNot() {
        let message = ChatMessage.user([
            .text("First part."),
            .image(.url("https://example.com/john@example.com.png")),
            .text("Second part: call (555) 123-4567"),
        ])
        let findings = classifier.findings(in: ChatRequest(messages: [message]))
        #expect(findings.map(\.kind) == [.phoneNumber])
    }

    @Test func toolCallArgumentsAreScanned() {
        let call = ToolCall(
            id: "call_1", name: "send_email",
            arguments: #"{"to":"john@example.com","body":"Your card\n4111 1111 1111 1111 is on file"}"#)
        let request = ChatRequest(messages: [
            .user("Email John his card details"),
            .assistant("", toolCalls: [call]),
        ])
        let findings = classifier.findings(in: request)
        #expect(
            findings == [
                SensitivityFinding(kind: .emailAddress, messageIndex: 1, redactedExcerpt: "j***@e***.com"),
                SensitivityFinding(kind: .paymentCard, messageIndex: 1, redactedExcerpt: "**** **** **** 1111"),
            ])
    }

    @Test func classifierLimitedToChosenKinds() {
        let request = ChatRequest(messages: [
            .user("Mail john@example.com, card 4242 4242 4242 4242, key AKIAIOSFODNN7EXAMPLE")
        ])
        let cardsOnly = PatternSensitivityClassifier(kinds: [.paymentCard])
        #expect(cardsOnly.findings(in: request).map(\.kind) == [.paymentCard])
        let secretsAndMail = PatternSensitivityClassifier(kinds: [.secret, .emailAddress])
        #expect(secretsAndMail.findings(in: request).map(\.kind) == [.emailAddress, .secret])
        #expect(PatternSensitivityClassifier(kinds: []).findings(in: request).isEmpty)
        #expect(
            PatternSensitivityClassifier(kinds: [SensitiveDataKind(rawValue: "custom")]).findings(in: request).isEmpty)
        #expect(classifier.findings(in: request).count == 3)
    }

    @Test func overlappingShapesAreReportedOnce() {
        // The groups of an IBAN look like a national phone number; only the IBAN is reported.
        let request = ChatRequest(messages: [.user("IBAN DE89 3704 0044 0532 0130 00.")])
        #expect(classifier.findings(in: request).map(\.kind) == [.iban])
        let phonesOnly = PatternSensitivityClassifier(kinds: [.phoneNumber])
        #expect(phonesOnly.findings(in: request).isEmpty)
    }

    @Test func noFindingHoldsAValue() {
        let values = [
            "john.doe@example.com", "+49 30 1234567", "4242 4242 4242 4242", "DE89 3704 0044 0532 0130 00",
            "123-45-6789", "AB 12 34 56 C", "AKIA" + "IOSFODNN7EXAMPLE",
        ]
        let request = ChatRequest(messages: values.map { .user("value: \($0)") })
        let findings = classifier.findings(in: request)
        #expect(findings.count == values.count)
        for (finding, value) in zip(findings, values) {
            #expect(!finding.redactedExcerpt.contains(value))
            #expect(!"\(finding)".contains(value))
        }
    }

    @Test func kindsAreStableNames() {
        #expect(PatternSensitivityClassifier.allKinds.count == 6)
        #expect(SensitiveDataKind.paymentCard.rawValue == "paymentCard")
        #expect("\(SensitiveDataKind.iban)" == "iban")
        #expect(SensitiveDataKind(rawValue: "secret") == .secret)
    }

    @Test func aCustomClassifierPlugsIn() {
        struct KeywordClassifier: SensitivityClassifier {
            func findings(in request: ChatRequest) -> [SensitivityFinding] {
                request.messages.enumerated().compactMap { index, message in
                    message.text.contains("CONFIDENTIAL")
                        ? SensitivityFinding(
                            kind: SensitiveDataKind(rawValue: "confidential"), messageIndex: index,
                            redactedExcerpt: "CONFIDENTIAL")
                        : nil
                }
            }
        }
        let classifiers: [any SensitivityClassifier] = [PatternSensitivityClassifier(), KeywordClassifier()]
        let request = ChatRequest(messages: [.user("CONFIDENTIAL: merger plans")])
        #expect(classifiers.flatMap { $0.findings(in: request) }.map(\.kind.rawValue) == ["confidential"])
    }
}
