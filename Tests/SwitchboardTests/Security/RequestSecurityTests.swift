import Foundation
import Logging
import NIOHTTP1
import Switchboard
import SwitchboardTesting
import Testing

/// HTTPS only for remote endpoints, CA bundles, secret references, and redaction of headers and logs.
@Suite struct RequestSecurityTests {
    func load(_ yaml: String, environment: [String: String] = [:]) throws -> SwitchboardConfiguration {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("switchboard.yaml", yaml)
        var environment = environment
        environment["HOME"] = directory.path
        return try SwitchboardConfiguration.load(environment: environment, currentDirectory: directory.path)
    }

    @Test func remotePlainHTTPIsRefusedWhenTheFileLoads() throws {
        #expect {
            try load("providers:\n  corp:\n    type: openai\n    base_url: http://llm.example.com/v1\n")
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.keyPath == "providers.corp.base_url" && error.description.contains("https://")
        }
    }

    @Test func remotePlainHTTPFromTheEnvironmentIsRefused() throws {
        #expect {
            try load("", environment: ["ANTHROPIC_BASE_URL": "http://10.0.0.5:8080", "ANTHROPIC_API_KEY": "x"])
        } throws: { error in
            (error as? ConfigurationError)?.keyPath == "ANTHROPIC_BASE_URL"
        }
    }

    @Test func remotePlainHTTPInCodeIsRefusedBeforeTheClientStarts() throws {
        let configuration = SwitchboardConfiguration(providers: [
            ProviderConfiguration(id: "corp", kind: .openAI, apiKey: APIKey("k"), baseURL: "http://llm.example.com/v1")
        ])
        #expect {
            try LLMClient(configuration: configuration)
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.keyPath == "providers.corp.base_url" && error.message.contains("corp")
        }
    }

    @Test(arguments: [
        "http://127.0.0.1:8080/v1", "http://localhost:11434", "http://[::1]:8000", "https://api.example.com",
    ])
    func loopbackHTTPAndRemoteHTTPSAreAllowed(url: String) throws {
        let configuration = try load("providers:\n  corp:\n    type: openai\n    base_url: \(url)\n")
        #expect(configuration.providers.first?.baseURL == url)
        try configuration.validate()
    }

    @Test func caBundleIsConfiguredAndMustExist() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let bundle = try directory.write("ca.pem", "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n")
        let configuration = try load("tls: { ca_bundle: \(bundle) }\n")
        #expect(configuration.transport.caBundlePath == bundle)
        #expect {
            try load("tls: { ca_bundle: /nonexistent/ca.pem }\n")
        } throws: { error in
            (error as? ConfigurationError)?.keyPath == "tls.ca_bundle"
        }
    }

    @Test func secretsComeFromFileReferences() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let secret = try directory.write("openai", "sk-from-file-0123456789abcdef\n")
        let configuration = try load(
            """
            providers:
              openai:
                api_key: file:\(secret)
                api_keys:
                  - { name: billing, key: "${BILLING_KEY}", weight: 2, components: [billing], models: ["gpt-4o*"] }
            keys: { selection: weighted, reload_interval: 5s }
            audit: { enabled: false }
            """, environment: ["BILLING_KEY": "sk-billing-0123456789abcdef"])
        let openAI = try #require(configuration.providers.first)
        #expect(openAI.apiKey?.value == "sk-from-file-0123456789abcdef")
        #expect(openAI.keys.map(\.name) == ["billing"])
        #expect(openAI.keys.first?.scope == KeyScope(components: ["billing"], models: ["gpt-4o*"]))
        #expect(openAI.keys.first?.weight == 2)
        #expect(configuration.keys.selection == .weighted)
        #expect(configuration.audit == nil)
        #expect {
            try load("providers:\n  openai:\n    api_key: sk-plain-0123456789abcdef\n")
        } throws: { error in
            (error as? ConfigurationError)?.kind == .plainSecret && !"\(error)".contains("sk-plain")
        }
    }

    @Test func storeKeysConfigureAProviderAndAWrongSecretIsAClearError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let master = "a master secret of at least thirty-two bytes"
        try EncryptedKeyStore(
            path: directory.path + "/keys.store", masterSecret: try MasterSecret(master)
        ).add(ManagedKey(name: "prod", provider: .anthropic, secret: APIKey("sk-ant-stored-0123456789abcdef")))
        let environment = ["SWITCHBOARD_HOME": directory.path, "SWITCHBOARD_MASTER_KEY": master]
        let configuration = try load("", environment: environment)
        #expect(configuration.providers.map(\.id) == [.anthropic])
        #expect(configuration.audit != nil, "load() keeps an audit trail by default")
        #expect {
            try load("", environment: ["SWITCHBOARD_HOME": directory.path, "SWITCHBOARD_MASTER_KEY": master + "x"])
        } throws: { error in
            "\(error)".contains("did not decrypt")
        }
    }

    @Test func credentialHeadersAreRedacted() {
        var headers = HTTPHeaders()
        headers.add(name: "Authorization", value: "Bearer sk-secret-0123456789abcdef")
        headers.add(name: "x-api-key", value: "sk-ant-secret")
        headers.add(name: "X-Goog-Api-Key", value: "AIza-secret")
        headers.add(name: "content-type", value: "application/json")
        let redacted = SecretRedactor.redactHeaders(headers)
        #expect(redacted["authorization"] == [SecretRedactor.mask])
        #expect(redacted["x-api-key"] == [SecretRedactor.mask])
        #expect(redacted["x-goog-api-key"] == [SecretRedactor.mask])
        #expect(redacted["content-type"] == ["application/json"])
        let pairs = SecretRedactor.redactHeaders([(name: "X-API-KEY", value: "v"), (name: "accept", value: "*/*")])
        #expect(pairs.map(\.value) == [SecretRedactor.mask, "*/*"])
    }

    @Test func bearerTokensAreRedactedInText() {
        let text = SecretRedactor.redactPatterns(in: "header Authorization: Bearer eyJhbGciOiJIUzI1NiJ9abc; ok")
        #expect(!text.contains("eyJhbGci"))
        #expect(text.contains("Bearer [REDACTED]"))
    }

    @Test func redactingLogHandlerRemovesSecretsFromMessagesAndMetadata() {
        let capture = LogCapture()
        let secrets = SecretSet(["plain-secret-value-1234"])
        let logger = RedactingLogHandler.wrap(capture.logger(), secrets: secrets)
        logger.info(
            "sending with plain-secret-value-1234",
            metadata: ["key": "plain-secret-value-1234", "nested": ["a": "x plain-secret-value-1234"]])
        secrets.insert(contentsOf: ["added-later-secret-5678"])
        logger.warning("now added-later-secret-5678 and sk-shaped-0123456789abcdefgh")
        let lines = capture.all.joined(separator: "\n")
        #expect(capture.all.count == 2)
        #expect(!lines.contains("plain-secret-value-1234"))
        #expect(!lines.contains("added-later-secret-5678"))
        #expect(!lines.contains("sk-shaped-0123456789abcdefgh"))
        #expect(lines.contains(SecretRedactor.mask))
    }

    @Test func metadataSetOnTheLoggerIsLoggedRedactedAndYieldsToTheCallSite() {
        let capture = LogCapture()
        var logger = RedactingLogHandler.wrap(capture.logger(), secrets: SecretSet(["plain-secret-value-1234"]))
        logger[metadataKey: "request_id"] = "req-42"
        logger[metadataKey: "upstream"] = "key plain-secret-value-1234"
        logger[metadataKey: "stage"] = "routing"
        #expect(logger[metadataKey: "request_id"] == "req-42")
        logger.info("first", metadata: ["stage": "budget"])
        logger[metadataKey: "request_id"] = nil
        logger.info("second")

        #expect(capture.all.count == 2)
        #expect(capture.all[0].contains("req-42"))
        #expect(capture.all[0].contains("budget") && !capture.all[0].contains("routing"))
        #expect(!capture.all.joined().contains("plain-secret-value-1234"))
        #expect(!capture.all[1].contains("req-42"))
    }
}
