import Foundation
import Testing

@testable import Switchboard

/// Every kind of OpenAI request body the adapter builds validates against OpenAI's own OpenAPI
/// spec (`CreateChatCompletionRequest`, `CreateEmbeddingRequest`), checked with the `jsonschema`
/// PyPI package by `Scripts/validate_openai_request.py`.
///
/// Runs when python3 with jsonschema and the spec are present; CI sets
/// `SWITCHBOARD_REQUIRE_SPEC_VALIDATION=1` so that their absence fails instead of skipping.
@Suite(.enabled { await SpecValidator.isAvailable() || SpecValidator.isRequired })
struct OpenAISpecValidationTests {
    static let tool = ToolDefinition(
        name: "get_weather", description: "Weather",
        parameters: ["type": "object", "properties": ["city": ["type": "string"]], "required": ["city"]], strict: true)

    static let chatRequests: [ChatRequest] = [
        ChatRequest(messages: [.user("hi")]),
        ChatRequest(
            messages: [.system("s"), .user("hi")], maxTokens: 10, temperature: 0.3, topP: 0.5,
            stopSequences: ["a", "b"],
            seed: 1),
        ChatRequest(messages: [.user("weather")], tools: [tool], toolChoice: .auto),
        ChatRequest(messages: [.user("weather")], tools: [tool], toolChoice: .required),
        ChatRequest(messages: [.user("weather")], tools: [tool], toolChoice: .tool("get_weather")),
        ChatRequest(messages: [.user("weather")], tools: [tool], toolChoice: ToolChoice.none),
        ChatRequest(messages: [.user("json")], responseFormat: .json),
        ChatRequest(
            messages: [.user("json")],
            responseFormat: .jsonSchema(name: "person", schema: ["type": "object", "properties": [:]], strict: true)),
        ChatRequest(messages: [
            .user([
                .text("see"), .image(.base64(data: "aGVsbG8=", mediaType: "image/png")),
                .image(.url("https://example.com/a.png")),
            ])
        ]),
        ChatRequest(
            messages: [
                .user("weather"),
                .assistant("", toolCalls: [ToolCall(id: "c1", name: "get_weather", arguments: #"{"city":"Paris"}"#)]),
                .tool(callID: "c1", "22C"), .assistant("It is 22C."), .user("thanks"),
            ], tools: [tool]),
    ]

    @Test func chatCompletionBodiesMatchTheSpec() async throws {
        var bodies: [JSONValue] = []
        for request in Self.chatRequests {
            for stream in [false, true] {
                bodies.append(
                    OpenAIRequestEncoder.chatBody(request, model: "gpt-4o", stream: stream, usesLegacyMaxTokens: false))
            }
            bodies.append(
                OpenAIRequestEncoder.chatBody(request, model: "gpt-4o", stream: false, usesLegacyMaxTokens: true))
        }
        try await SpecValidator.validate(bodies, against: "CreateChatCompletionRequest")
    }

    @Test func embeddingBodiesMatchTheSpec() async throws {
        let bodies = [
            OpenAIRequestEncoder.embeddingsBody(EmbeddingRequest(inputs: ["a"]), model: "text-embedding-3-small"),
            OpenAIRequestEncoder.embeddingsBody(
                EmbeddingRequest(inputs: ["a", "b"], dimensions: 256), model: "text-embedding-3-small"),
        ]
        try await SpecValidator.validate(bodies, against: "CreateEmbeddingRequest")
    }

    @Test func validatorRejectsAWrongBody() async throws {
        await #expect(throws: SpecValidator.Failure.self) {
            try await SpecValidator.validate(
                [["model": "gpt-4o", "messages": "not a list"]], against: "CreateChatCompletionRequest")
        }
    }
}

enum SpecValidator {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static let script = RepositoryPaths.root + "/Scripts/validate_openai_request.py"

    static var isRequired: Bool { ProcessInfo.processInfo.environment["SWITCHBOARD_REQUIRE_SPEC_VALIDATION"] == "1" }

    static func isAvailable() async -> Bool {
        guard FileManager.default.fileExists(atPath: RepositoryPaths.openAISpec) else { return false }
        return (try? await run(["python3", "-c", "import jsonschema, referencing"]).status) == 0
    }

    static func validate(_ bodies: [JSONValue], against schema: String) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var files: [String] = []
        for (index, body) in bodies.enumerated() {
            files.append(try directory.write("body-\(index).json", body.jsonString()))
        }
        let result = try await run(["python3", script, schema] + files)
        guard result.status == 0 else { throw Failure(description: result.output) }
    }

    static func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await runToEnd("/usr/bin/env", arguments, environment: ["OPENAI_OPENAPI_SPEC": RepositoryPaths.openAISpec])
    }
}
