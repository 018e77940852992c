import Foundation
import Testing

@testable import Switchboard

/// Gemini and Ollama configuration: environment variables, `OLLAMA_HOST` forms, local-model policy.
@Suite struct ProviderKindConfigurationTests {
    private func load(_ yaml: String?, environment: [String: String] = [:]) throws -> SwitchboardConfiguration {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        if let yaml { try directory.write("switchboard.yaml", yaml) }
        var environment = environment
        environment["HOME"] = directory.path
        return try SwitchboardConfiguration.load(environment: environment, currentDirectory: directory.path)
    }

    @Test func geminiKeyFromEitherVariable() throws {
        #expect(try load(nil, environment: ["GEMINI_API_KEY": "g1"]).providers.first?.apiKey?.value == "g1")
        #expect(try load(nil, environment: ["GOOGLE_API_KEY": "g2"]).providers.first?.apiKey?.value == "g2")
        let both = try load(nil, environment: ["GEMINI_API_KEY": "g1", "GOOGLE_API_KEY": "g2"])
        #expect(both.providers.map(\.id) == [.gemini])
        #expect(both.providers.first?.apiKey?.value == "g1")
    }

    @Test(arguments: [
        ("127.0.0.1:11434", "http://127.0.0.1:11434"), ("localhost", "http://localhost:11434"),
        ("0.0.0.0", "http://127.0.0.1:11434"), ("http://127.0.0.1:9000", "http://127.0.0.1:9000"),
        ("https://ollama.example.com", "https://ollama.example.com"),
    ])
    func ollamaHostForms(value: String, expected: String) throws {
        let configuration = try load(nil, environment: ["OLLAMA_HOST": value])
        #expect(configuration.providers.map(\.id) == [.ollama])
        #expect(configuration.providers.first?.baseURL == expected)
    }

    @Test func ollamaIsNotConfiguredByItsKeyAlone() throws {
        #expect(try load(nil, environment: ["OLLAMA_API_KEY": "k"]).providers.isEmpty)
    }

    @Test func remoteOllamaOverPlainHTTPIsRefused() {
        #expect(throws: ConfigurationError.self) { try load(nil, environment: ["OLLAMA_HOST": "10.1.2.3:11434"]) }
    }

    @Test func ollamaSettings() throws {
        let configuration = try load(
            """
            providers:
              ollama:
                host: 127.0.0.1:11500
                default_model: llama3.2
                embedding_model: nomic-embed-text
                keep_alive: 10m
                options: { num_ctx: 8192, num_thread: 4, num_gpu: 0 }
                models:
                  llama3.2: { num_ctx: 16384, keep_alive: 1h }
                required_models: [llama3.2, nomic-embed-text]
                storage_quota: 20GB
                max_loaded_models: 2
                max_loaded_memory: 8GiB
                update_interval: 24h
            """)
        let ollama = try #require(configuration.providers.first)
        #expect(ollama.kind == .ollama)
        #expect(ollama.baseURL == "http://127.0.0.1:11500")
        #expect(ollama.ollamaOptions == OllamaOptions(contextLength: 8192, threads: 4, gpuLayers: 0, keepAlive: "10m"))
        #expect(ollama.localModels.requiredModels == ["llama3.2", "nomic-embed-text"])
        #expect(ollama.localModels.storageQuota == 20_000_000_000)
        #expect(ollama.localModels.maxLoadedModels == 2)
        #expect(ollama.localModels.maxLoadedMemory == 8_589_934_592)
        #expect(ollama.localModels.updateInterval == .seconds(86400))
        let adapter = try ollama.ollamaConfiguration()
        #expect(
            adapter.options(for: "llama3.2:latest")
                == OllamaOptions(contextLength: 16384, threads: 4, gpuLayers: 0, keepAlive: "1h"))
        #expect(
            adapter.options(for: "qwen2.5")
                == OllamaOptions(contextLength: 8192, threads: 4, gpuLayers: 0, keepAlive: "10m"))
        #expect(adapter.defaultEmbeddingModel == "nomic-embed-text")
    }

    @Test func ollamaOnlyKeysAreUnknownElsewhere() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("switchboard.yaml", "providers:\n  openai:\n    storage_quota: 1GB\n")
        #expect {
            try SwitchboardConfiguration.load(environment: ["HOME": directory.path], currentDirectory: directory.path)
        } throws: { ($0 as? ConfigurationError)?.keyPath == "providers.openai.storage_quota" }
    }

    @Test(arguments: [
        ("storage_quota: lots", "providers.ollama.storage_quota"),
        ("options: { num_ctx: -1 }", "providers.ollama.options.num_ctx"),
    ])
    func badOllamaValues(line: String, keyPath: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("switchboard.yaml", "providers:\n  ollama:\n    \(line)\n")
        #expect {
            try SwitchboardConfiguration.load(environment: ["HOME": directory.path], currentDirectory: directory.path)
        } throws: { ($0 as? ConfigurationError)?.keyPath == keyPath }
    }

    @Test(arguments: [
        ("500MB", 500_000_000), ("20GB", 20_000_000_000), ("1.5TB", 1_500_000_000_000), ("8GiB", 8_589_934_592),
        ("42", 42),
    ])
    func byteSizes(text: String, bytes: Int64) {
        #expect(ByteSize.parse(text) == bytes)
    }

    @Test func modelNames() {
        #expect(OllamaModelName.normalized("llama3.2") == "llama3.2:latest")
        #expect(OllamaModelName.normalized("qwen2.5:0.5b") == "qwen2.5:0.5b")
        #expect(OllamaModelName.normalized("library/llama3.2") == "library/llama3.2:latest")
        #expect(OllamaModelName.same("llama3.2", "llama3.2:latest"))
    }
}
