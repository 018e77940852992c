import Switchboard
import SwitchboardTesting
import Testing

/// Offline, the response cache still answers — exact hits, and semantic ones for a task that opts in —
/// for a task only external providers may serve, instead of failing with `offline`.
@Suite struct OfflineCacheTests {
    @Test func offlineTheCacheAnswersRepeatedAndCloseQuestionsOfAnExternalOnlyTask() async throws {
        try await withOfflineClient(configure: { configuration, _ in
            // Semantic matching for research; the prompts are embedded by the local Ollama, reachable offline.
            configuration.cache = ResponseCacheConfiguration(tasks: [OfflineWorld.research: .init(semantic: true)])
        }) { client, world in
            world.internet.setDefaultReply(.text("Three bullets."), for: .openAI)
            world.internet.setDefaultReply(.text("Three bullets."), for: .anthropic)
            let research = RequestMetadata(taskType: OfflineWorld.research)
            let first = try await client.chat(ChatRequest(messages: [.user(CachePrompts.report)], metadata: research))
            #expect(first.cache?.kind == .miss)

            await world.internet.stop()
            for _ in 0..<4 where client.connectivity.mode != .offline { await client.connectivity.checkNow() }
            #expect(client.connectivity.mode == .offline)

            let repeated = try await client.chat(
                ChatRequest(messages: [.user(CachePrompts.report)], metadata: research))
            #expect(repeated.cache?.kind == .exact)
            #expect(repeated.text == "Three bullets.")
            let close = try await client.chat(
                ChatRequest(messages: [.user(CachePrompts.reportReordered)], metadata: research))
            #expect(close.cache?.kind == .semantic)
            #expect(close.text == "Three bullets.")
            let unrelated = await #expect(throws: ProviderError.self) {
                try await client.chat(ChatRequest(messages: [.user(CachePrompts.password)], metadata: research))
            }
            #expect(unrelated?.kind == .offline)
            // A request that bypasses the cache is not answered from it, offline or not.
            var bypass = research
            bypass.cache = CachePolicy(mode: .bypass)
            await #expect(throws: ProviderError.self) {
                try await client.chat(ChatRequest(messages: [.user(CachePrompts.report)], metadata: bypass))
            }
            #expect(world.internet.requests(for: .anthropic).count + world.internet.requests(for: .openAI).count == 1)
        }
    }
}
