import Foundation
import Switchboard
import Testing

/// A request keeps everything through its JSON form (the outbox stores requests this way).
@Suite struct ChatRequestCodingTests {
    @Test func everyPartOfARequestSurvivesItsJSONForm() throws {
        let schema: JSONValue = ["type": "object", "properties": ["city": ["type": "string"]]]
        let request = ChatRequest(
            messages: [
                .system("Be brief."),
                .user([.text("What is in these?"), .image(.url("https://example.com/a.png"))]),
                .user([.image(.base64(data: "iVBORw0KGgo=", mediaType: "image/png"))]),
                .assistant(
                    "",
                    toolCalls: [
                        ToolCall(
                            id: "call_1", name: "weather", arguments: #"{"city":"Paris"}"#,
                            signature: "sig")
                    ]),
                .tool(callID: "call_1", "Sunny", isError: true),
            ],
            model: "gpt-4o", provider: .openAI,
            tools: [ToolDefinition(name: "weather", description: "The weather", parameters: schema, strict: true)],
            toolChoice: .tool("weather"), responseFormat: .jsonSchema(name: "answer", schema: schema, strict: false),
            maxTokens: 300, temperature: 0.2, topP: 0.9, topK: 40, stopSequences: ["END"], seed: 7,
            metadata: RequestMetadata(
                taskType: "research", sensitivity: .sensitive, priority: .critical, feature: "digest", user: "u1",
                component: "batch", tags: ["team": "search"], maxQueueWait: .milliseconds(1500), deferrable: true,
                cache: CachePolicy(mode: .semantic, tags: ["reports"], timeToLive: .seconds(90))))
        let data = try JSONEncoder().encode(request)
        #expect(try JSONDecoder().decode(ChatRequest.self, from: data) == request)

        for choice in [ToolChoice.auto, .none, .required] {
            var other = ChatRequest(messages: [.user("x")], toolChoice: choice, responseFormat: .json)
            other.metadata = RequestMetadata()
            #expect(try JSONDecoder().decode(ChatRequest.self, from: JSONEncoder().encode(other)) == other)
        }
    }

    @Test func missingFieldsTakeTheirDefaults() throws {
        let json = #"{"messages":[{"role":"user","content":[{"type":"text","text":"Hi"}]}]}"#
        let request = try JSONDecoder().decode(ChatRequest.self, from: Data(json.utf8))
        #expect(request == ChatRequest(messages: [.user("Hi")]))
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(
                ChatRequest.self, from: Data(#"{"messages":[{"role":"user","content":[{"type":"audio"}]}]}"#.utf8))
        }
    }
}
