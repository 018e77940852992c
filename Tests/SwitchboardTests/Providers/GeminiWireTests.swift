import Foundation
import Switchboard
import SwitchboardTesting
import Testing

/// What the Gemini adapter puts on the wire (wire reference §4.1–4.2, §4.5).
@Suite struct GeminiWireTests {
    static let tool = ToolDefinition(
        name: "get_weather", description: "Weather",
        parameters: ["type": "object", "properties": ["city": ["type": "string"]], "required": ["city"]])

    @Test func keyInHeaderNeverInURL() async throws {
        try await withSimulatedClient { client, simulator in
            _ = try await client.chat(
                ChatRequest(messages: [.user("hi")], model: "gemini-2.5-flash", provider: .gemini))
            for try await _ in try await client.stream(ChatRequest(messages: [.user("hi")], provider: .gemini)) {}
            let requests = simulator.requests(for: .gemini)
            #expect(requests.count == 2)
            #expect(requests[0].pathWithoutQuery == "/gemini/v1beta/models/gemini-2.5-flash:generateContent")
            #expect(requests[1].path.hasSuffix(":streamGenerateContent?alt=sse"))
            for request in requests {
                #expect(request.header("x-goog-api-key") == testGeminiKey)
                #expect(!request.path.contains(testGeminiKey))
                #expect(!request.path.contains("key="))
            }
        }
    }

    @Test func conversationToolsAndConfig() async throws {
        try await withSimulatedClient { client, simulator in
            let call = ToolCall(
                id: "c1", name: "get_weather", arguments: #"{"city":"Paris"}"#, signature: "c2lnbmF0dXJl")
            simulator.enqueue(.text("{}"), for: .gemini)
            _ = try await client.chat(
                ChatRequest(
                    messages: [
                        .system("be brief"),
                        .user([.text("look"), .image(.base64(data: "aGVsbG8=", mediaType: "image/png"))]),
                        .assistant("", toolCalls: [call]), .tool(callID: "c1", "22C"),
                    ], provider: .gemini, tools: [Self.tool], toolChoice: .tool("get_weather"),
                    responseFormat: .jsonSchema(name: "out", schema: ["type": "object"]), maxTokens: 50,
                    temperature: 0.2,
                    topP: 0.9, topK: 20, stopSequences: ["END"], seed: 3))
            let body = try #require(simulator.requests(for: .gemini).last?.json)
            #expect(body["systemInstruction"] == ["parts": [["text": "be brief"]]])
            #expect(
                body["contents"] == [
                    [
                        "role": "user",
                        "parts": [["text": "look"], ["inlineData": ["mimeType": "image/png", "data": "aGVsbG8="]]],
                    ],
                    [
                        "role": "model",
                        "parts": [
                            [
                                "functionCall": ["id": "c1", "name": "get_weather", "args": ["city": "Paris"]],
                                "thoughtSignature": "c2lnbmF0dXJl",
                            ]
                        ],
                    ],
                    [
                        "role": "user",
                        "parts": [
                            ["functionResponse": ["id": "c1", "name": "get_weather", "response": ["result": "22C"]]]
                        ],
                    ],
                ])
            #expect(
                body["generationConfig"] == [
                    "maxOutputTokens": 50, "temperature": 0.2, "topP": 0.9, "topK": 20, "stopSequences": ["END"],
                    "seed": 3,
                    "responseMimeType": "application/json", "responseJsonSchema": ["type": "object"],
                ])
            #expect(
                body["tools"] == [
                    [
                        "functionDeclarations": [
                            [
                                "name": "get_weather", "description": "Weather",
                                "parametersJsonSchema": Self.tool.parameters,
                            ]
                        ]
                    ]
                ])
            #expect(
                body["toolConfig"] == [
                    "functionCallingConfig": ["mode": "ANY", "allowedFunctionNames": ["get_weather"]]
                ])
        }
    }

    @Test(arguments: [false, true])
    func blockedPromptIsContentFiltered(stream: Bool) async throws {
        try await withSimulatedClient { client, simulator in
            simulator.enqueue(.blockedPrompt(reason: "SAFETY"), for: .gemini)
            let request = ChatRequest(messages: [.user("something blocked")], provider: .gemini)
            let error = await #expect(throws: ProviderError.self) {
                if stream {
                    for try await _ in try await client.stream(request) {}
                } else {
                    _ = try await client.chat(request)
                }
            }
            #expect(error?.kind == .contentFiltered)
            #expect(error?.providerErrorCode == "SAFETY")
        }
    }

    @Test func safetyFinishIsContentFilter() async throws {
        try await withSimulatedClient { client, simulator in
            var reply = SimulatedReply.text("")
            reply.finishReason = "SAFETY"
            simulator.enqueue(reply, for: .gemini)
            let response = try await client.chat(ChatRequest(messages: [.user("x")], provider: .gemini))
            #expect(response.finishReason == .contentFilter)
            #expect(response.providerFinishReason == "SAFETY")
        }
    }

    @Test func thinkingTokensAreBilledAsOutput() async throws {
        try await withSimulatedClient { client, simulator in
            simulator.enqueue(
                .text("ok", usage: SimulatedUsage(inputTokens: 8, outputTokens: 1183, reasoningTokens: 1171)),
                for: .gemini)
            let response = try await client.chat(ChatRequest(messages: [.user("x")], provider: .gemini))
            #expect(response.usage == Usage(inputTokens: 8, outputTokens: 1183, reasoningTokens: 1171))
        }
    }

    @Test func batchEmbeddingsAndTokenCount() async throws {
        try await withSimulatedClient { client, simulator in
            let response = try await client.embed(
                EmbeddingRequest(inputs: ["one", "two", "three"], provider: .gemini, dimensions: 16))
            #expect(response.embeddings.count == 3)
            #expect(response.embeddings.allSatisfy { $0.count == 16 })
            let request = try #require(simulator.requests(for: .gemini).last)
            #expect(request.pathWithoutQuery == "/gemini/v1beta/models/gemini-embedding-001:batchEmbedContents")
            guard case .array(let items)? = request.json?["requests"] else {
                Issue.record("no requests array")
                return
            }
            #expect(items.map { $0["content"]?["parts"]?.containsString("two") ?? false } == [false, true, false])
            let gemini = try #require(client.providers.first { $0.id == .gemini } as? GeminiProvider)
            let tokens = try await gemini.countTokens(
                ChatRequest(messages: [.user("count these words")]), logger: .init(label: "t"))
            #expect(tokens > 0)
        }
    }
}
