import Foundation
import Logging
import Switchboard
import SwitchboardTesting
import Testing

/// ``LocalModelStage`` as ``LLMClient/init(configuration:logger:stages:)`` wires it for an Ollama
/// provider with a local-model policy.
@Suite struct LocalModelStageTests {
    @Test func installsRequiredModelsOnceRecordsUseAndEnforcesMemoryLimits() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await ProviderSimulator.withSimulator { simulator in
            let configuration = SwitchboardConfiguration(
                providers: [
                    ProviderConfiguration(
                        id: .ollama, kind: .ollama, baseURL: simulator.baseURL(for: .ollama),
                        localModels: LocalModelPolicy(requiredModels: ["qwen2.5:0.5b"], maxLoadedModels: 1))
                ],
                dataDirectory: directory.path)
            try await withLLMClient(
                configuration: configuration, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
            ) {
                client in
                let manager = try #require(client.localModels[.ollama])
                #expect(simulator.pullCount(for: "qwen2.5:0.5b") == 0)

                let first = try await client.chat(ChatRequest(messages: [.user("hi")], model: "llava"))
                #expect(first.provider == .ollama)
                #expect(simulator.pullCount(for: "qwen2.5:0.5b") == 1)
                #expect(simulator.localModels.contains { $0.name == "qwen2.5:0.5b" })
                #expect(await manager.lastUse(of: "llava") != nil)
                #expect(await manager.performance(of: "llava")?.samples == 1)
                #expect(simulator.loadedModels == ["llava:latest"])

                _ = try await client.chat(ChatRequest(messages: [.user("hi")], model: "llama3.2", provider: .ollama))
                #expect(simulator.pullCount(for: "qwen2.5:0.5b") == 1)  // required models are ensured once
                #expect(simulator.loadedModels == ["llama3.2:latest"])  // llava, least recently used, unloaded
            }
            let saved = try await FileLocalModelUsageStore(dataDirectory: directory.path).load()
            #expect(Set(saved.keys) == ["llava:latest", "llama3.2:latest"])
        }
    }

    @Test func recordsUseAndSpeedFromAStreamsFinish() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await ProviderSimulator.withSimulator { simulator in
            let configuration = SwitchboardConfiguration(
                providers: [
                    ProviderConfiguration(
                        id: .ollama, kind: .ollama, baseURL: simulator.baseURL(for: .ollama),
                        localModels: LocalModelPolicy(maxLoadedModels: 4))
                ],
                dataDirectory: directory.path)
            try await withLLMClient(configuration: configuration) { client in
                let manager = try #require(client.localModels[.ollama])
                let response = try await client.stream(ChatRequest(messages: [.user("hi")], model: "llama3.2"))
                    .collect()
                #expect(response.provider == .ollama)
                // The stage records a finished stream from a task of its own; give it its turn.
                var turns = 0
                while await manager.performance(of: "llama3.2") == nil, turns < 100_000 {
                    await Task.yield()
                    turns += 1
                }
                #expect(await manager.performance(of: "llama3.2")?.samples == 1)
                #expect(await manager.lastUse(of: "llama3.2:latest") != nil)
            }
        }
    }

    @Test func clientsWithoutAPolicyHaveNoManager() async throws {
        try await ProviderSimulator.withSimulator { simulator in
            let configuration = SwitchboardConfiguration(providers: [
                ProviderConfiguration(id: .ollama, kind: .ollama, baseURL: simulator.baseURL(for: .ollama))
            ])
            try await withLLMClient(configuration: configuration) { client in
                #expect(client.localModels.isEmpty)
            }
        }
    }
}
