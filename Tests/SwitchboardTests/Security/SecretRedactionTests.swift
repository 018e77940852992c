import Testing

@testable import Switchboard

@Suite struct SecretRedactionTests {
    @Test func knownSecretsAndKeyShapesAreMasked() {
        let text = "Incorrect API key provided: sk-proj-abcdefghijklmnopqrstuvwxyz0123. Also my-custom-secret-99"
        let redacted = SecretRedactor.redact(text, secrets: ["my-custom-secret-99"])
        #expect(!redacted.contains("sk-proj-abcdefghijklmnopqrstuvwxyz0123"))
        #expect(!redacted.contains("my-custom-secret-99"))
        #expect(redacted.contains("Incorrect API key provided: [REDACTED]"))
    }

    @Test func ordinaryTextIsUntouched() {
        let text = "The model `gpt-4o` does not exist (request req_011CSHoEeqs5C35K2UUqR7Fy)."
        #expect(SecretRedactor.redact(text, secrets: []) == text)
    }

    @Test func providerErrorNeverHoldsAKeyShapedToken() {
        let error = ProviderError(
            kind: .authentication, provider: .anthropic, status: 401,
            message: "invalid x-api-key sk-ant-api03-AAAAAAAAAAAAAAAAAAAAAAAAAAAA")
        #expect(!error.description.contains("sk-ant-api03"))
        #expect(error.description.contains("anthropic: authentication (HTTP 401)"))
    }

    @Test func apiKeyPrintsOnlyItsFingerprint() {
        let key = APIKey("sk-live-0123456789abcdef")
        #expect("\(key)" == "APIKey(…cdef)")
        #expect(String(reflecting: key) == "APIKey(…cdef)")
    }

    @Test func terminalSanitizerRemovesEscapesAndControls() {
        let hostile = "ok\u{1B}[2J\u{1B}]0;pwned\u{07}\u{1B}[31mred\u{1B}[0m\r\u{08}\u{9B}\nnext\tline"
        #expect(TerminalSanitizer.sanitize(hostile) == "okred\nnext\tline")
        #expect(TerminalSanitizer.sanitize("héllo 🌍 世界") == "héllo 🌍 世界")
    }
}
