import Foundation
import Switchboard
import SwitchboardTesting
import Synchronization
import Testing

/// Key selection without HTTP: strategies, time windows (scheduled rotation), scopes, rests.
@Suite struct KeyPoolTests {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    func key(
        _ name: String, weight: Int = 1, scope: KeyScope = .unrestricted, activatesAt: Date? = nil,
        expiresAt: Date? = nil
    ) -> ManagedKey {
        ManagedKey(
            name: name, provider: .openAI, secret: APIKey("sk-pool-\(name)-0123456789abcdef"), weight: weight,
            scope: scope, activatesAt: activatesAt, expiresAt: expiresAt)
    }

    func names(_ pool: KeyPool, _ count: Int, metadata: RequestMetadata = .init()) throws -> [String] {
        try (0..<count).map { _ in try pool.select(for: metadata, model: "gpt-4o").name }
    }

    @Test func roundRobinTakesTurns() throws {
        let pool = KeyPool(provider: .openAI, keys: [key("a"), key("b"), key("c")], strategy: .roundRobin)
        #expect(try names(pool, 6) == ["a", "b", "c", "a", "b", "c"])
    }

    @Test func weightedFollowsTheWeights() throws {
        let pool = KeyPool(provider: .openAI, keys: [key("a", weight: 3), key("b", weight: 1)], strategy: .weighted)
        let chosen = try names(pool, 8)
        #expect(chosen.filter { $0 == "a" }.count == 6)
        #expect(chosen.filter { $0 == "b" }.count == 2)
    }

    @Test func failoverStaysOnThePrimary() throws {
        let pool = KeyPool(provider: .openAI, keys: [key("a"), key("b")], strategy: .failover)
        #expect(try names(pool, 3) == ["a", "a", "a"])
        pool.markInvalid(try pool.select(for: .init(), model: nil), detail: "revoked")
        #expect(try names(pool, 2) == ["b", "b"])
    }

    @Test func scheduledRotationWithAnInjectedClock() async throws {
        let now = TestNow(Self.start)
        let rotation = Self.start.addingTimeInterval(3600)
        let events = Mutex<[KeyPoolEvent]>([])
        let pool = KeyPool(
            provider: .openAI,
            keys: [key("old", expiresAt: rotation.addingTimeInterval(600)), key("new", activatesAt: rotation)],
            strategy: .failover, now: now.closure, onEvent: { event in events.withLock { $0.append(event) } })
        #expect(try names(pool, 2) == ["old", "old"])
        now.advance(by: 3599)
        #expect(try names(pool, 1) == ["old"])
        now.advance(by: 1)
        #expect(try names(pool, 2) == ["new", "new"])
        #expect(events.withLock { $0.map(\.kind) } == [.becamePrimary])
        // During the overlap the old key still serves when the new one is rejected.
        let new = try pool.select(for: .init(), model: nil)
        #expect(try pool.select(for: .init(), model: nil, excluding: [new.fingerprint]).name == "old")
        now.advance(by: 600)
        #expect(throws: ProviderError.self) { try pool.select(for: .init(), model: nil, excluding: [new.fingerprint]) }
    }

    @Test func scopesAdmitComponentsFeaturesUsersAndModels() throws {
        let pool = KeyPool(
            provider: .openAI,
            keys: [
                key("billing", scope: KeyScope(components: ["billing"], models: ["gpt-4o*"])),
                key("search", scope: KeyScope(components: ["search"], users: ["ada"])),
            ])
        #expect(try pool.select(for: RequestMetadata(component: "billing"), model: "gpt-4o-mini").name == "billing")
        #expect(try pool.select(for: RequestMetadata(user: "ada", component: "search"), model: "o3").name == "search")
        for (metadata, model) in [
            (RequestMetadata(component: "billing"), "o3"), (RequestMetadata(component: "search"), "gpt-4o"),
            (RequestMetadata(), "gpt-4o"), (RequestMetadata(component: "chat"), "gpt-4o"),
        ] {
            #expect {
                try pool.select(for: metadata, model: model)
            } throws: { error in
                (error as? ProviderError)?.kind == .accessDenied
            }
        }
    }

    @Test func restingKeyComesBackWhenItsLimitResets() throws {
        let now = TestNow(Self.start)
        let pool = KeyPool(provider: .openAI, keys: [key("a"), key("b")], strategy: .roundRobin, now: now.closure)
        let a = try pool.select(for: .init(), model: nil)
        pool.coolDown(a, until: Self.start.addingTimeInterval(30))
        #expect(try names(pool, 3) == ["b", "b", "b"])
        let b = try pool.select(for: .init(), model: nil)
        pool.coolDown(b, until: Self.start.addingTimeInterval(10))
        #expect {
            try pool.select(for: .init(), model: nil)
        } throws: { error in
            let error = error as? ProviderError
            return error?.kind == .rateLimited && error?.retryAfter == .seconds(10)
        }
        now.advance(by: 30)
        #expect(Set(try names(pool, 2)) == ["a", "b"])
    }

    @Test func replacingKeysForgivesRejectedOnes() throws {
        let pool = KeyPool(provider: .openAI, keys: [key("a")])
        pool.markInvalid(try pool.select(for: .init(), model: nil), detail: nil)
        #expect(throws: ProviderError.self) { try pool.select(for: .init(), model: nil) }
        pool.replaceKeys([key("a"), key("b")])
        #expect(try names(pool, 1) == ["a"])
    }
}
