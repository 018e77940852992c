import Switchboard
import SwitchboardTesting
import Testing

/// A bad request fails before anything is sent, with an error naming the field.
@Suite struct ValidationTests {
    static let object: JSONValue = ["type": "object"]

    static let badRequests: [(String, ChatRequest, String)] = [
        ("no messages", ChatRequest(messages: []), "messages"),
        ("only system", ChatRequest(messages: [.system("s")]), "messages"),
        ("empty user", ChatRequest(messages: [ChatMessage(role: .user, content: [])]), "messages[0]"),
        (
            "tool without id", ChatRequest(messages: [.user("q"), ChatMessage(role: .tool, content: [.text("r")])]),
            "messages[1]"
        ),
        (
            "tool answering unknown call", ChatRequest(messages: [.user("q"), .tool(callID: "nope", "r")]),
            "messages[1]"
        ),
        (
            "bad media type",
            ChatRequest(messages: [.user([.image(.base64(data: "aGVsbG8=", mediaType: "image/bmp"))])]),
            "messages[0].content[0].image"
        ),
        (
            "bad base64",
            ChatRequest(messages: [.user([.image(.base64(data: "not base64!!", mediaType: "image/png"))])]),
            "messages[0].content[0].image"
        ),
        (
            "http image", ChatRequest(messages: [.user([.image(.url("http://example.com/a.png"))])]),
            "messages[0].content[0].image"
        ),
        (
            "bad tool name",
            ChatRequest(messages: [.user("q")], tools: [ToolDefinition(name: "has space", parameters: object)]),
            "tools[0]"
        ),
        (
            "duplicate tool",
            ChatRequest(
                messages: [.user("q")],
                tools: [ToolDefinition(name: "a", parameters: object), ToolDefinition(name: "a", parameters: object)]),
            "tools[1]"
        ),
        (
            "schema not an object",
            ChatRequest(messages: [.user("q")], tools: [ToolDefinition(name: "a", parameters: ["type": "string"])]),
            "tools[0].parameters"
        ),
        ("tool choice without tools", ChatRequest(messages: [.user("q")], toolChoice: .required), "toolChoice"),
        (
            "tool choice unknown",
            ChatRequest(
                messages: [.user("q")], tools: [ToolDefinition(name: "a", parameters: object)], toolChoice: .tool("b")),
            "toolChoice"
        ),
        ("zero max tokens", ChatRequest(messages: [.user("q")], maxTokens: 0), "maxTokens"),
        ("temperature", ChatRequest(messages: [.user("q")], temperature: 3), "temperature"),
        ("top p", ChatRequest(messages: [.user("q")], topP: 1.5), "topP"),
        ("top k", ChatRequest(messages: [.user("q")], topK: 0), "topK"),
        ("empty stop", ChatRequest(messages: [.user("q")], stopSequences: [""]), "stopSequences"),
        ("empty model", ChatRequest(messages: [.user("q")], model: ""), "model"),
        (
            "json schema name",
            ChatRequest(messages: [.user("q")], responseFormat: .jsonSchema(name: "bad name", schema: object)),
            "responseFormat"
        ),
    ]

    @Test(arguments: badRequests.indices)
    func rejectedBeforeSending(index: Int) async throws {
        let (_, request, field) = Self.badRequests[index]
        try await withSimulatedClient { client, simulator in
            for stream in [false, true] {
                let error = await #expect(throws: ProviderError.self) {
                    if stream {
                        _ = try await client.stream(request)
                    } else {
                        _ = try await client.chat(request)
                    }
                }
                #expect(error?.kind == .invalidRequest)
                #expect(error?.provider == nil)
                #expect(error?.message.hasPrefix(field + ":") == true, "message: \(error?.message ?? "")")
            }
            #expect(simulator.requests.isEmpty)
        }
    }

    @Test func oversizeRequestIsRejected() async throws {
        let stage = ValidationStage(maximumRequestBytes: 100)
        #expect {
            try stage.validate(ChatRequest(messages: [.user(String(repeating: "x", count: 101))]))
        } throws: { ($0 as? ProviderError)?.kind == .requestTooLarge }
    }

    @Test func validConversationPasses() throws {
        try ValidationStage().validate(
            ChatRequest(
                messages: [
                    .system("s"), .user([.text("q"), .image(.url("https://example.com/a.png"))]),
                    .assistant("", toolCalls: [ToolCall(id: "c", name: "f", arguments: "{}")]), .tool(callID: "c", "r"),
                ], tools: [ToolDefinition(name: "f", parameters: Self.object)], toolChoice: .tool("f"), maxTokens: 1,
                temperature: 0, topP: 1))
    }
}
