import Foundation
import Switchboard
import SwitchboardTesting
import Testing

/// The exact response cache through a client, over loopback HTTP to the simulator.
@Suite(.timeLimit(.minutes(2))) struct ResponseCacheTests {
    @Test func aRepeatedQuestionIsAnsweredFromTheCacheAtNoCost() async throws {
        try await withCachedClient { client, simulator in
            simulator.enqueue(
                .text("Paris.", usage: SimulatedUsage(inputTokens: 1000, outputTokens: 200)), for: .openAI)
            let first = try await client.chat(question("What is the capital of France?"))
            #expect(first.cache?.kind == .miss)
            #expect(first.cost?.total ?? .zero > .zero)

            let second = try await client.chat(question("What is the capital of France?"))
            #expect(openAIChats(simulator) == 1, "the hit never reaches the provider")
            #expect(second.cache?.kind == .exact)
            #expect(second.cache?.isHit == true)
            #expect(second.text == "Paris.")
            #expect(second.usage == first.usage, "usage as originally reported")
            #expect(second.finishReason == first.finishReason)
            #expect(second.model == first.model)
            #expect(second.cost?.total == .zero)
            #expect(second.cache?.savedCost == first.cost?.total)
            #expect(second.cache?.headerValue == "hit")
            #expect(first.cache?.headerValue == "miss")
        }
    }

    @Test func toolCallsAreStoredAndReturned() async throws {
        try await withCachedClient { client, simulator in
            simulator.enqueue(.toolCall(name: "get_weather", arguments: #"{"city":"Paris"}"#), for: .openAI)
            let tool = ToolDefinition(name: "get_weather", parameters: ["type": "object"])
            var request = question("Weather in Paris?")
            request.tools = [tool]
            let first = try await client.chat(request)
            let second = try await client.chat(request)
            #expect(openAIChats(simulator) == 1)
            #expect(second.cache?.kind == .exact)
            #expect(second.toolCalls == first.toolCalls)
            #expect(second.toolCalls.first?.name == "get_weather")
            #expect(second.finishReason == .toolCalls)
        }
    }

    @Test func whatChangesTheAnswerChangesTheKey() async throws {
        try await withCachedClient { client, simulator in
            simulator.setDefaultReply(.text("An answer."), for: .openAI)
            _ = try await client.chat(question("Hello"))
            var variants: [ChatRequest] = [
                question("Hello!"), question("Hello", model: "gpt-4o"), question("Hello", temperature: 0),
            ]
            var bounded = question("Hello")
            bounded.maxTokens = 10
            variants.append(bounded)
            var withSystem = question("Hello")
            withSystem.messages.insert(.system("Answer in French."), at: 0)
            variants.append(withSystem)
            for variant in variants {
                let response = try await client.chat(variant)
                #expect(response.cache?.kind == .miss, "\(variant.messages.map(\.text)) is another question")
            }
            #expect(openAIChats(simulator) == 1 + variants.count)
            // Metadata outside the scope (the user, tags) does not change the key.
            let sameForAnotherUser = try await client.chat(question("Hello", metadata: RequestMetadata(user: "bob")))
            #expect(sameForAnotherUser.cache?.kind == .exact)
            // Surrounding whitespace and line endings are normalised.
            let spaced = try await client.chat(question("  Hello\r\n"))
            #expect(spaced.cache?.kind == .exact)
        }
    }

    @Test func oneScopeNeverSeesAnothersAnswers() async throws {
        try await withCachedClient { client, simulator in
            simulator.enqueue(.text("Acme's answer."), for: .openAI)
            simulator.enqueue(.text("Globex's answer."), for: .openAI)
            simulator.enqueue(.text("Key two's answer."), for: .openAI)
            func asked(tenant: String, key: String? = nil) -> ChatRequest {
                var tags = ["tenant": tenant]
                tags["gateway.key"] = key
                return question("What is our refund policy?", metadata: RequestMetadata(tags: tags))
            }
            #expect(try await client.chat(asked(tenant: "acme")).text == "Acme's answer.")
            #expect(try await client.chat(asked(tenant: "globex")).text == "Globex's answer.")
            #expect(try await client.chat(asked(tenant: "acme", key: "k2")).text == "Key two's answer.")
            #expect(openAIChats(simulator) == 3)

            let acmeAgain = try await client.chat(asked(tenant: "acme"))
            #expect(acmeAgain.cache?.kind == .exact)
            #expect(acmeAgain.text == "Acme's answer.")
            let globexAgain = try await client.chat(asked(tenant: "globex"))
            #expect(globexAgain.text == "Globex's answer.")
            #expect(openAIChats(simulator) == 3)
        }
    }

    @Test func userIsPartOfTheScopeOnlyWhenConfigured() async throws {
        let cache = ResponseCacheConfiguration(scopeKeys: [.tenant, .user])
        try await withCachedClient(cache: cache) { client, simulator in
            simulator.setDefaultReply(.text("An answer."), for: .openAI)
            _ = try await client.chat(question("Hello", metadata: RequestMetadata(user: "ada")))
            let bob = try await client.chat(question("Hello", metadata: RequestMetadata(user: "bob")))
            #expect(bob.cache?.kind == .miss)
            let ada = try await client.chat(question("Hello", metadata: RequestMetadata(user: "ada")))
            #expect(ada.cache?.kind == .exact)
            #expect(openAIChats(simulator) == 2)
        }
    }

    @Test func aStreamingRequestThatHitsGetsAReplayedStream() async throws {
        try await withCachedClient { client, simulator in
            simulator.enqueue(
                .text("Streams arrive piece by piece.", usage: SimulatedUsage(inputTokens: 30, outputTokens: 12)),
                for: .openAI)
            var first = ChatResponseAccumulator()
            for try await event in try await client.stream(question("Tell me about streams")) { first.add(event) }
            let miss = try first.response()
            #expect(miss.cache?.kind == .miss)

            var events: [ChatEvent] = []
            for try await event in try await client.stream(question("Tell me about streams")) { events.append(event) }
            #expect(openAIChats(simulator) == 1)
            guard case .started(let start)? = events.first, case .finish(let finish)? = events.last else {
                Issue.record("a replay starts and finishes: \(events)")
                return
            }
            #expect(start.provider == .openAI)
            #expect(finish.cache?.kind == .exact)
            #expect(finish.cost?.total == .zero)
            #expect(events.contains(.usage(Usage(inputTokens: 30, outputTokens: 12))))
            var replay = ChatResponseAccumulator()
            for event in events { replay.add(event) }
            #expect(try replay.response().text == "Streams arrive piece by piece.")

            // The streamed answer also serves a whole-answer request.
            let whole = try await client.chat(question("Tell me about streams"))
            #expect(whole.cache?.kind == .exact)
            #expect(whole.text == "Streams arrive piece by piece.")
            #expect(openAIChats(simulator) == 1)
        }
    }

    @Test func aHitIsRecordedInTheLedgerAsAHitWithTheMoneyItSaved() async throws {
        try await withCachedClient { client, simulator in
            simulator.enqueue(
                .text("Paris.", usage: SimulatedUsage(inputTokens: 1000, outputTokens: 200)), for: .openAI)
            let miss = try await client.chat(question("Capital of France?"))
            _ = try await client.chat(question("Capital of France?"))
            var streamed = ChatResponseAccumulator()
            for try await event in try await client.stream(question("Capital of France?")) { streamed.add(event) }
            let ledger = try #require(client.usageLedger)
            await ledger.flush()
            let records = try await ledger.store.records(since: nil, until: nil)
            #expect(records.count == 3)
            let hits = records.filter(\.cacheHit)
            #expect(hits.count == 2)
            for hit in hits {
                #expect(hit.cost == .zero)
                #expect(hit.usage == .zero)
                #expect(hit.outcome == "success")
                #expect(hit.responseCacheKind == "exact")
                #expect(hit.responseCacheSavings == miss.cost?.total)
            }
            #expect(hits.map(\.streamed).sorted { !$0 && $1 } == [false, true])
            let report = UsageReport(
                records: records, by: .provider, calendar: PeriodCalendar(timeZone: TimeZone(identifier: "UTC")!))
            #expect(report.total.cacheHits == 2)
            #expect(report.total.cost == miss.cost?.total)
            #expect(report.total.responseCacheSavings == (miss.cost?.total ?? .zero) + (miss.cost?.total ?? .zero))
            #expect(client.usage().total(period: .daily).totalCost == miss.cost?.total)
        }
    }

    @Test func errorsAreNeverCached() async throws {
        try await withCachedClient { client, simulator in
            simulator.enqueue(.failure(status: 500), for: .openAI)
            await #expect(throws: ProviderError.self) { try await client.chat(question("Hello")) }
            simulator.enqueue(.text("Recovered."), for: .openAI)
            let response = try await client.chat(question("Hello"))
            #expect(response.text == "Recovered.")
            #expect(response.cache?.kind == .miss)
            // A filtered answer is not stored either.
            simulator.enqueue(SimulatedReply(text: "", finishReason: "content_filter"), for: .openAI)
            _ = try await client.chat(question("Something filtered"))
            simulator.enqueue(.text("Second try."), for: .openAI)
            #expect(try await client.chat(question("Something filtered")).text == "Second try.")
            #expect(openAIChats(simulator) == 4)
        }
    }

    @Test func temperatureAboveZeroIsCachedOnlyWhenConfigured() async throws {
        try await withCachedClient { client, simulator in
            simulator.setDefaultReply(.text("A poem."), for: .openAI)
            _ = try await client.chat(question("A poem", temperature: 0.8))
            let again = try await client.chat(question("A poem", temperature: 0.8))
            #expect(again.cache?.kind == .skipped)
            #expect(again.cache?.reason?.contains("temperature") == true)
            _ = try await client.chat(question("A poem", temperature: 0))
            #expect(try await client.chat(question("A poem", temperature: 0)).cache?.kind == .exact)
            #expect(openAIChats(simulator) == 3)
        }
        try await withCachedClient(cache: ResponseCacheConfiguration(cachesNonzeroTemperature: true)) {
            client, simulator in
            simulator.setDefaultReply(.text("A poem."), for: .openAI)
            _ = try await client.chat(question("A poem", temperature: 0.8))
            #expect(try await client.chat(question("A poem", temperature: 0.8)).cache?.kind == .exact)
            #expect(openAIChats(simulator) == 1)
        }
    }

    @Test func sensitiveRequestsAreCachedOnlyWhenAllowed() async throws {
        let sensitive = RequestMetadata(sensitivity: .sensitive)
        try await withCachedClient { client, simulator in
            simulator.setDefaultReply(.text("Kept local."), for: .ollama)
            let request = question(
                "My salary is 90k; plan my budget", provider: .ollama, model: "llama3.2", metadata: sensitive)
            _ = try await client.chat(request)
            let again = try await client.chat(request)
            #expect(again.cache?.kind == .skipped)
            #expect(again.cache?.reason == "the request is sensitive")
            #expect(ollamaChats(simulator) == 2)
        }
        try await withCachedClient(cache: ResponseCacheConfiguration(cachesSensitive: true)) { client, simulator in
            simulator.setDefaultReply(.text("Kept local."), for: .ollama)
            let request = question(
                "My salary is 90k; plan my budget", provider: .ollama, model: "llama3.2", metadata: sensitive)
            _ = try await client.chat(request)
            #expect(try await client.chat(request).cache?.kind == .exact)
            #expect(ollamaChats(simulator) == 1)
        }
    }

    @Test func contentTheClassifierFindsSensitiveIsNotCached() async throws {
        try await withCachedClient(configure: { $0.routing = RoutingConfiguration(classifiesSensitivity: true) }) {
            client, simulator in
            simulator.setDefaultReply(.text("Noted."), for: .ollama)
            let request = question("Write to ada@example.com about it", provider: .ollama, model: "llama3.2")
            _ = try await client.chat(request)
            let again = try await client.chat(request)
            #expect(again.cache?.kind == .skipped)
            #expect(again.cache?.reason == "the request is sensitive")
            #expect(ollamaChats(simulator) == 2)
        }
    }

    @Test func sensitiveAnswersAreNeverCachedInAStoreOffTheMachine() async throws {
        let remote = RemoteStore()
        let cache = ResponseCacheConfiguration(responseStore: remote, cachesSensitive: true)
        try await withCachedClient(cache: cache) { client, simulator in
            simulator.setDefaultReply(.text("Kept local."), for: .ollama)
            let request = question(
                "Secret plans", provider: .ollama, model: "llama3.2", metadata: RequestMetadata(sensitivity: .sensitive)
            )
            _ = try await client.chat(request)
            #expect(try await client.chat(request).cache?.kind == .skipped)
            #expect(await remote.inserts == 0)
        }
    }

    @Test func bypassAndRefresh() async throws {
        try await withCachedClient { client, simulator in
            simulator.enqueue(.text("First."), for: .openAI)
            simulator.enqueue(.text("Bypassed."), for: .openAI)
            simulator.enqueue(.text("Refreshed."), for: .openAI)
            _ = try await client.chat(question("News?"))
            let bypassed = try await client.chat(
                question("News?", metadata: RequestMetadata(cache: CachePolicy(mode: .bypass))))
            #expect(bypassed.text == "Bypassed.")
            #expect(bypassed.cache?.kind == .skipped)
            #expect(try await client.chat(question("News?")).text == "First.", "a bypass stores nothing")
            let refreshed = try await client.chat(
                question("News?", metadata: RequestMetadata(cache: CachePolicy(mode: .refresh))))
            #expect(refreshed.text == "Refreshed.")
            #expect(refreshed.cache?.kind == .miss)
            #expect(try await client.chat(question("News?")).text == "Refreshed.", "a refresh replaces the entry")
            #expect(openAIChats(simulator) == 3)
        }
    }

    @Test func aHitBypassesBudgetReservation() async throws {
        var usage = UsageConfiguration(ledger: .memory)
        usage.budgets = BudgetConfiguration(budgets: [
            Budget(name: "tight", period: .daily, limit: Money(microdollars: 900), enforcement: .hard)
        ])
        try await withCachedClient(usage: usage) { client, simulator in
            simulator.setDefaultReply(
                .text("Answer.", usage: SimulatedUsage(inputTokens: 10, outputTokens: 1000)), for: .openAI)
            var request = question("Explain budgets", model: "gpt-4o-mini")
            request.maxTokens = 1000
            _ = try await client.chat(request)
            let hit = try await client.chat(request)
            #expect(hit.cache?.kind == .exact, "served although its worst case no longer fits the budget")
            var other = question("Explain something else", model: "gpt-4o-mini")
            other.maxTokens = 1000
            await #expect {
                try await client.chat(other)
            } throws: { ($0 as? ProviderError)?.kind == .budgetExceeded }
            #expect(openAIChats(simulator) == 1)
        }
    }

    @Test func lookupServesHitsWithoutThePipeline() async throws {
        try await withCachedClient { client, simulator in
            simulator.enqueue(.text("Stored."), for: .openAI)
            let cache = try #require(client.responseCache)
            #expect(await cache.lookup(question("Offline question")) == nil)
            _ = try await client.chat(question("Offline question"))
            let found = await cache.lookup(question("Offline question"))
            #expect(found?.text == "Stored.")
            #expect(found?.cache?.kind == .exact)
            #expect(await ResponseCacheStage(cache: cache).lookup(question("Offline question"))?.text == "Stored.")
        }
    }
}

/// A store that says it keeps entries off this machine and counts inserts.
actor RemoteStore: ResponseCacheStore {
    private let memory = InMemoryResponseCacheStore()
    private(set) var inserts = 0

    nonisolated var isLocal: Bool { false }

    func entry(for key: CacheKey, now: Date) async throws -> ResponseCacheEntry? {
        await memory.entry(for: key, now: now)
    }

    func insert(_ entry: ResponseCacheEntry, maxEntries: Int?, now: Date) async throws -> [CacheKey] {
        inserts += 1
        return await memory.insert(entry, maxEntries: maxEntries, now: now)
    }

    func remove(_ invalidation: CacheInvalidation) async throws -> [CacheKey] { await memory.remove(invalidation) }

    func semanticEntries(now: Date) async throws -> [(key: CacheKey, semantic: ResponseCacheEntry.Semantic)] {
        await memory.semanticEntries(now: now)
    }

    func statistics(now: Date) async throws -> ResponseCacheStatistics { await memory.statistics(now: now) }

    func flush() async throws {}
}
