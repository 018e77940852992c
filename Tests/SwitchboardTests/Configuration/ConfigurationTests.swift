import Foundation
import Testing

@testable import Switchboard

@Suite struct ConfigurationTests {
    private func load(_ yaml: String?, environment: [String: String] = [:]) throws -> SwitchboardConfiguration {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        if let yaml { try directory.write("switchboard.yaml", yaml) }
        var environment = environment
        environment["HOME"] = directory.path
        return try SwitchboardConfiguration.load(environment: environment, currentDirectory: directory.path)
    }

    private func loadError(_ yaml: String, environment: [String: String] = [:]) throws -> ConfigurationError {
        do {
            _ = try load(yaml, environment: environment)
        } catch let error as ConfigurationError {
            return error
        }
        Issue.record("expected a ConfigurationError")
        throw CancellationError()
    }

    @Test func environmentAloneConfiguresBothProviders() throws {
        let configuration = try load(
            nil,
            environment: [
                "OPENAI_API_KEY": "sk-openai-test", "ANTHROPIC_API_KEY": "sk-ant-test",
                "ANTHROPIC_BASE_URL": "http://127.0.0.1:9999",
            ])
        #expect(configuration.providers.map(\.id) == [.openAI, .anthropic])
        #expect(configuration.providers[0].apiKey?.value == "sk-openai-test")
        #expect(configuration.providers[1].baseURL == "http://127.0.0.1:9999")
        #expect(configuration.sourceFile == nil)
    }

    @Test func nothingConfiguredMeansNoProviders() throws {
        #expect(try load(nil).providers.isEmpty)
    }

    @Test func fileWithReferencesAndEnvironmentOverride() throws {
        let yaml = """
            default_provider: anthropic
            timeouts:
              connect: 5
              request: 2m
              idle: 500ms
            providers:
              openai:
                api_key: ${MY_OPENAI_KEY}
                default_model: gpt-4.1-mini
              anthropic:
                api_key: ${MY_ANTHROPIC_KEY}
                max_tokens: 1024
              local-vllm:
                type: openai
                base_url: http://127.0.0.1:8000/v1
            """
        let configuration = try load(
            yaml,
            environment: [
                "MY_OPENAI_KEY": "from-file-ref", "MY_ANTHROPIC_KEY": "ant-ref", "OPENAI_API_KEY": "from-env-wins",
            ])
        #expect(configuration.defaultProvider == .anthropic)
        #expect(configuration.transport.connectTimeout == .seconds(5))
        #expect(configuration.transport.requestTimeout == .seconds(120))
        #expect(configuration.transport.idleTimeout == .milliseconds(500))
        #expect(configuration.providers.map(\.id.rawValue) == ["openai", "anthropic", "local-vllm"])
        #expect(configuration.providers[0].apiKey?.value == "from-env-wins")
        #expect(configuration.providers[0].defaultModel == "gpt-4.1-mini")
        #expect(configuration.providers[1].defaultMaxTokens == 1024)
        #expect(configuration.providers[2].kind == .openAI)
        #expect(configuration.sourceFile?.hasSuffix("switchboard.yaml") == true)
    }

    @Test func unknownKeyNamesItsPathAndLine() throws {
        let error = try loadError(
            """
            providers:
              openai:
                api_kye: ${OPENAI_API_KEY}
            """)
        #expect(error.kind == .unknownKey)
        #expect(error.keyPath == "providers.openai.api_kye")
        #expect(error.line == 3)
        #expect(error.description.contains("api_key"))
    }

    @Test func wrongTypesNameTheirPath() throws {
        let list = try loadError("providers:\n  - openai\n")
        #expect(list.kind == .wrongType)
        #expect(list.keyPath == "providers")
        let number = try loadError("providers:\n  anthropic:\n    max_tokens: lots\n")
        #expect(number.kind == .wrongType)
        #expect(number.keyPath == "providers.anthropic.max_tokens")
        let timeout = try loadError("timeouts:\n  idle: -3\n")
        #expect(timeout.kind == .invalidValue)
        #expect(timeout.keyPath == "timeouts.idle")
    }

    @Test func plainSecretsAreRefusedWithoutEchoingThem() throws {
        let error = try loadError("providers:\n  openai:\n    api_key: sk-live-abcdef0123456789\n")
        #expect(error.kind == .plainSecret)
        #expect(error.keyPath == "providers.openai.api_key")
        #expect(!error.description.contains("sk-live-abcdef0123456789"))
    }

    @Test func missingEnvironmentVariableIsNamed() throws {
        let error = try loadError("providers:\n  openai:\n    api_key: ${NOT_SET_ANYWHERE}\n")
        #expect(error.kind == .missingEnvironmentVariable)
        #expect(error.message.contains("NOT_SET_ANYWHERE"))
    }

    @Test func plainHTTPToARemoteHostIsRefused() throws {
        let error = try loadError("providers:\n  openai:\n    base_url: http://api.example.com/v1\n")
        #expect(error.kind == .invalidValue)
        #expect(error.keyPath == "providers.openai.base_url")
        #expect(throws: ConfigurationError.self) {
            try load(nil, environment: ["OPENAI_BASE_URL": "http://example.com/v1"])
        }
    }

    @Test func customProviderNeedsAType() throws {
        let error = try loadError("providers:\n  groq:\n    base_url: https://api.groq.com/openai/v1\n")
        #expect(error.keyPath == "providers.groq.type")
    }

    @Test func invalidYAMLIsReported() throws {
        #expect(try loadError("providers: [unclosed\n").kind == .invalidSyntax)
    }

    @Test func explicitConfigFileMustExist() throws {
        #expect(throws: ConfigurationError.self) {
            try SwitchboardConfiguration.load(environment: ["SWITCHBOARD_CONFIG": "/nonexistent/sb.yaml"])
        }
    }

    @Test func dataDirectoryPrecedence() {
        #expect(
            SwitchboardConfiguration.defaultDataDirectory(environment: ["SWITCHBOARD_HOME": "/srv/sb", "HOME": "/h"])
                == "/srv/sb")
        #expect(
            SwitchboardConfiguration.defaultDataDirectory(environment: ["XDG_DATA_HOME": "/xdg", "HOME": "/h"])
                == "/xdg/switchboard")
        #expect(
            SwitchboardConfiguration.defaultDataDirectory(environment: ["HOME": "/h"])
                == "/h/.local/share/switchboard")
    }

    @Test(arguments: [
        "http://127.0.0.1:8080/v1", "http://localhost:11434", "http://[::1]:80", "https://api.openai.com/v1",
    ])
    func acceptedBaseURLs(url: String) throws {
        _ = try BaseURL(url)
    }

    @Test(arguments: ["http://10.0.0.5/v1", "ftp://127.0.0.1", "not a url", "https://user:pw@api.openai.com"])
    func refusedBaseURLs(url: String) {
        #expect(throws: ProviderError.self) { try BaseURL(url) }
    }
}
