import Foundation
import Switchboard
import Testing

/// The canonical request hash: stable, blind to what does not change the answer, and scoped.
@Suite struct CacheKeyTests {
    static let scope = CacheScope(metadata: RequestMetadata(), keys: [.tenant])

    @Test func theKeyIsStableAcrossVersions() {
        // Persisted caches depend on this value: change it only with a new key version.
        let request = ChatRequest(
            messages: [.system("Be brief."), .user("What is the capital of France?")], model: "gpt-4o-mini",
            provider: .openAI, maxTokens: 100, temperature: 0)
        #expect(
            CacheKey(request: request, scope: Self.scope).rawValue
                == "81c0f2ed3eac90f5a642b2a304ba3611955c4de599f2e613c1d7ae25c9e5eeca")
    }

    @Test func providerToolCallIDsAndJSONKeyOrderDoNotMatter() {
        func conversation(callID: String, arguments: String) -> ChatRequest {
            ChatRequest(messages: [
                .user("Weather in Paris?"),
                .assistant("", toolCalls: [ToolCall(id: callID, name: "get_weather", arguments: arguments)]),
                .tool(callID: callID, "18°C"), .user("And tomorrow?"),
            ])
        }
        let first = CacheKey(
            request: conversation(callID: "call_abc", arguments: #"{"city":"Paris","unit":"C"}"#), scope: Self.scope)
        let second = CacheKey(
            request: conversation(callID: "toolu_xyz", arguments: #"{"unit": "C", "city": "Paris"}"#), scope: Self.scope
        )
        #expect(first == second)
        let other = CacheKey(
            request: conversation(callID: "call_abc", arguments: #"{"city":"Rome"}"#), scope: Self.scope)
        #expect(first != other)
    }

    @Test func splitTextPartsAndLineEndingsAreNormalised() {
        let joined = ChatRequest(messages: [.user("Line one\nLine two")])
        let split = ChatRequest(messages: [.user([.text("Line one\r\n"), .text("Line two ")])])
        #expect(CacheKey(request: joined, scope: Self.scope) == CacheKey(request: split, scope: Self.scope))
        let image = ChatRequest(messages: [.user([.text("What is this?"), .image(.url("https://example.com/a.png"))])])
        let otherImage = ChatRequest(messages: [
            .user([.text("What is this?"), .image(.url("https://example.com/b.png"))])
        ])
        #expect(CacheKey(request: image, scope: Self.scope) != CacheKey(request: otherImage, scope: Self.scope))
    }

    @Test func scopesEscapeTheirValues() {
        let tricky = CacheScope(metadata: RequestMetadata(tags: ["tenant": "a|key=b"]), keys: [.tenant, .apiKey])
        let two = CacheScope(
            metadata: RequestMetadata(tags: ["tenant": "a", "gateway.key": "b"]), keys: [.tenant, .apiKey])
        #expect(tricky != two)
        #expect(tricky.rawValue == "|tenant=a%7Ckey%3Db|")
        #expect(two.rawValue == "|key=b|tenant=a|")
        #expect(CacheScope(metadata: RequestMetadata(), keys: [.tenant]).rawValue == "|")
        let request = ChatRequest(messages: [.user("Hi")])
        #expect(CacheKey(request: request, scope: tricky) != CacheKey(request: request, scope: two))
        #expect(CacheScope.Key(configurationName: "tag.team") == .tag("team"))
        #expect(CacheScope.Key(configurationName: "colour") == nil)
    }
}
