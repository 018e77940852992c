import Logging
import Switchboard
import SwitchboardTesting
import Synchronization
import Testing

/// What happens to requests offline: local answers, the typed `offline` error, deferral into the
/// outbox with a ticket, and the cache seam.
@Suite(.timeLimit(.minutes(2))) struct OfflineRequestTests {
    /// Cuts the network and sends two requests that try the external providers, so the client is offline.
    private func goOffline(_ client: LLMClient, _ world: OfflineWorld) async throws {
        await world.internet.stop()
        for _ in 0..<2 { _ = try await client.chat(.task(.complexReasoning)) }
        // Under load the local model can be ranked first by latency after the first failures, so the
        // second request may not try the external providers again; probes settle it either way.
        for _ in 0..<3 where client.connectivity.mode != .offline { await client.connectivity.checkNow() }
        #expect(client.connectivity.mode == .offline)
    }

    @Test func aRequestThatNeedsAnExternalProviderFailsOfflineWithoutBeingSent() async throws {
        try await withOfflineClient { client, world in
            try await goOffline(client, world)
            let error = await #expect(throws: ProviderError.self) {
                try await client.chat(.task(OfflineWorld.research))
            }
            #expect(error?.kind == .offline)
            #expect(error?.message.contains("mark it deferrable") == true)

            let pinned = await #expect(throws: ProviderError.self) {
                try await client.chat(ChatRequest(messages: [.user("Hi")], provider: .anthropic))
            }
            #expect(pinned?.kind == .offline)
            #expect(pinned?.attempts.allSatisfy(\.skipped) == true)
            // Streams too.
            let streamed = await #expect(throws: ProviderError.self) {
                _ = try await client.stream(.task(OfflineWorld.research))
            }
            #expect(streamed?.kind == .offline)
        }
    }

    @Test func aRequestNoProviderMayEverServeKeepsItsOwnError() async throws {
        try await withOfflineClient { client, world in
            try await goOffline(client, world)
            let error = await #expect(throws: ProviderError.self) { try await client.chat(.task(OfflineWorld.nowhere)) }
            #expect(error?.kind == .noRoute)
        }
    }

    @Test func aDeferrableRequestIsQueuedAndTheCallerGetsATicketAtOnce() async throws {
        try await withOfflineClient { client, world in
            try await goOffline(client, world)
            var request = ChatRequest.task(OfflineWorld.research, "Find this week's papers")
            request.metadata.deferrable = true
            request.metadata.priority = .high
            request.metadata.feature = "digest"
            let submission = try await client.submit(request)
            let ticket = try #require(submission.ticket)
            #expect(ticket.description == "#1")
            let entry = try #require(try await client.outbox.entry(ticket))
            #expect(entry.state == .pending)
            #expect(entry.attempts == 0)
            #expect(entry.priority == .high)
            #expect(entry.request == request)

            // A request a local model may answer is answered, deferrable or not.
            var simple = ChatRequest.task(.simpleGeneration, "What is 2 + 2?")
            simple.metadata.deferrable = true
            let answered = try await client.submit(simple)
            #expect(answered.response?.provider == .ollama)

            // Not deferrable: the typed error, nothing queued.
            await #expect(throws: ProviderError.self) {
                try await client.submit(.task(OfflineWorld.research))
            }
            #expect(try await client.outbox.entries().count == 1)
        }
    }

    @Test func withoutRoutingTheLocalProviderAnswersWhenTheDefaultCannotBeReached() async throws {
        try await withOfflineClient(configure: { configuration, _ in
            configuration.routing = nil
            configuration.providers.removeAll { $0.id == .anthropic }
            configuration.resilience.retry = RetryPolicy(maxRetries: 1, initialBackoff: .milliseconds(1))
        }) { client, world in
            world.internet.enqueue(.text("From the cloud."), for: .openAI)
            #expect(try await client.chat(ChatRequest(messages: [.user("Hi")])).provider == .openAI)
            await world.internet.stop()
            // The connection is lost during this request: two failures make openai unreachable, and the
            // request is planned again, on the local provider.
            let answer = try await client.chat(ChatRequest(messages: [.user("Hi")]))
            #expect(answer.provider == .ollama)
            #expect(answer.attempts.map(\.provider) == [.openAI, .openAI, .ollama])
            #expect(client.connectivity.mode == .offline)
            // Streaming takes the same way.
            let streamed = try await client.stream(ChatRequest(messages: [.user("Hi")])).collect()
            #expect(streamed.provider == .ollama)
        }
    }

    @Test func offlineACachedAnswerIsServedBeforeFailingOrQueuing() async throws {
        let cache = StubOfflineCache(
            answers: ["Find this week's papers": "Cached: three papers."])
        try await withOfflineClient(configure: { configuration, _ in
            configuration.offline.cacheLookup = cache
        }) { client, world in
            try await goOffline(client, world)
            var request = ChatRequest.task(OfflineWorld.research, "Find this week's papers")
            request.metadata.deferrable = true
            let submission = try await client.submit(request)
            #expect(submission.response?.text == "Cached: three papers.")
            let streamed = try await client.stream(request).collect()
            #expect(streamed.text == "Cached: three papers.")
            #expect(try await client.outbox.entries().isEmpty)
            // A miss still queues.
            var miss = ChatRequest.task(OfflineWorld.research, "Something else")
            miss.metadata.deferrable = true
            #expect(try await client.submit(miss).ticket != nil)
            #expect(cache.lookups == 3)
        }
    }

    @Test func servingCachedAnswersOfflineCanBeTurnedOff() async throws {
        let cache = StubOfflineCache(answers: ["Find this week's papers": "Cached."])
        try await withOfflineClient(configure: { configuration, _ in
            configuration.offline.cacheLookup = cache
            configuration.offline.servesCache = false
        }) { client, world in
            try await goOffline(client, world)
            let error = await #expect(throws: ProviderError.self) {
                try await client.chat(.task(OfflineWorld.research, "Find this week's papers"))
            }
            #expect(error?.kind == .offline)
            #expect(cache.lookups == 0)
        }
    }
}

/// Answers from a fixed table of prompts; counts lookups.
final class StubOfflineCache: OfflineCacheLookup {
    private let answers: [String: String]
    private let count = Mutex(0)

    init(answers: [String: String]) { self.answers = answers }

    var lookups: Int { count.withLock { $0 } }

    func cachedResponse(for request: ChatRequest, context: RequestContext) async -> ChatResponse? {
        count.withLock { $0 += 1 }
        let prompt = request.messages.last?.text ?? ""
        return answers[prompt].map { text in
            ChatResponse(message: .assistant(text), finishReason: .stop, usage: nil, provider: "cache", model: "cache")
        }
    }
}
