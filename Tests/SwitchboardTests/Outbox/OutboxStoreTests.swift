import Foundation
import Switchboard
import Testing

/// The store's atomic steps, fenced by the attempt number, on SQLite and in memory; SQLite across a
/// reopen (a restart) and its drain lock across two openings of the same file.
@Suite(.timeLimit(.minutes(2))) struct OutboxStoreTests {
    static let start = Date(timeIntervalSince1970: 1_700_000_000)

    private func withStores(_ body: (any OutboxStore) async throws -> Void) async throws {
        try await body(InMemoryOutboxStore())
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try await body(try SQLiteOutboxStore(path: directory.path + "/outbox.sqlite"))
    }

    @Test func anEntrySucceedsAtMostOnce() async throws {
        try await withStores { store in
            let request = ChatRequest(messages: [.user("Hello")], provider: .openAI)
            let queued = try await store.insert(request, priority: .normal, at: Self.start)
            #expect(queued.state == .pending)
            let claimed = try #require(try await store.markInFlight(id: queued.id, at: Self.start))
            #expect(claimed.state == .inFlight)
            #expect(claimed.attempts == 1)
            #expect(try await store.markInFlight(id: queued.id, at: Self.start) == nil)

            let result = OutboxResult(
                message: .assistant("Hi"), finishReason: "stop", provider: .openAI, model: "gpt-4o-mini",
                usage: Usage(inputTokens: 3, outputTokens: 1), cost: Money(microdollars: 5), providerRequestID: "req_1",
                completedAt: Self.start.addingTimeInterval(2))
            #expect(try await store.markCompleted(id: queued.id, attempt: 2, result: result, at: Self.start) == false)
            #expect(try await store.markCompleted(id: queued.id, attempt: 1, result: result, at: Self.start))
            #expect(try await store.markCompleted(id: queued.id, attempt: 1, result: result, at: Self.start) == false)
            let failure = OutboxFailure(kind: "server", message: "late")
            #expect(try await store.markFailed(id: queued.id, attempt: 1, error: failure, at: Self.start) == false)
            #expect(try await store.markInFlight(id: queued.id, at: Self.start) == nil)

            let stored = try #require(try await store.entry(id: queued.id))
            #expect(stored.state == .completed)
            #expect(stored.result == result)
            #expect(stored.request == request)
        }
    }

    @Test func retriesCountAttemptsUnlessRefundedAndRecoveryFreesInFlightEntries() async throws {
        try await withStores { store in
            let entry = try await store.insert(ChatRequest(messages: [.user("Hi")]), priority: .low, at: Self.start)
            _ = try await store.markInFlight(id: entry.id, at: Self.start)
            let failure = OutboxFailure(kind: "server", message: "HTTP 500")
            let retryAt = Self.start.addingTimeInterval(30)
            #expect(
                try await store.markPending(
                    id: entry.id, attempt: 1, error: failure, retryAt: retryAt, refundingAttempt: false,
                    at: Self.start))
            var stored = try #require(try await store.entry(id: entry.id))
            #expect(stored.state == .pending)
            #expect(stored.attempts == 1)
            #expect(stored.retryAt == retryAt)
            #expect(stored.lastError == failure)

            _ = try await store.markInFlight(id: entry.id, at: Self.start)
            #expect(
                try await store.markPending(
                    id: entry.id, attempt: 2, error: nil, retryAt: nil, refundingAttempt: true, at: Self.start))
            stored = try #require(try await store.entry(id: entry.id))
            #expect(stored.attempts == 1)
            #expect(stored.lastError == failure)

            _ = try await store.markInFlight(id: entry.id, at: Self.start)
            #expect(try await store.remove(id: entry.id) == .inFlight)
            #expect(try await store.recoverInFlight(at: Self.start) == [entry.id])
            #expect(try await store.recoverInFlight(at: Self.start) == [])
            stored = try #require(try await store.entry(id: entry.id))
            #expect(stored.state == .pending)
            #expect(stored.attempts == 2)
            #expect(try await store.remove(id: entry.id) == .removed)
            #expect(try await store.remove(id: entry.id) == .notFound)
        }
    }

    @Test func theDrainLockIsExclusive() async throws {
        try await withStores { store in
            let lock = try #require(try await store.lockForDraining())
            #expect(try await store.lockForDraining() == nil)
            await lock.release()
            let again = try #require(try await store.lockForDraining())
            await again.release()
        }
    }

    @Test func sqliteEntriesAndTheirLockOutliveOneOpening() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path + "/data/outbox.sqlite"
        let request = ChatRequest(
            messages: [.system("Be brief."), .user("Summarise")], model: "gpt-4o", provider: .openAI, maxTokens: 200,
            metadata: RequestMetadata(taskType: "research", priority: .high, deferrable: true))
        let first = try SQLiteOutboxStore(path: path)
        let id = try await first.insert(request, priority: .high, at: Self.start).id
        _ = try await first.markInFlight(id: id, at: Self.start)
        let lock = try #require(try await first.lockForDraining())

        let reopened = try SQLiteOutboxStore(path: path)
        let entry = try #require(try await reopened.entry(id: id))
        #expect(entry.request == request)
        #expect(entry.priority == .high)
        #expect(entry.state == .inFlight)
        #expect(entry.createdAt == Self.start)
        // The lock is on the file: a second opening (another process, or this one) cannot take it.
        #expect(try await reopened.lockForDraining() == nil)
        await lock.release()
        let second = try #require(try await reopened.lockForDraining())
        await second.release()
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }
}
