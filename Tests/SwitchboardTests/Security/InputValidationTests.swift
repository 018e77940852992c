import Foundation
import Switchboard
import SwitchboardTesting
import Testing

/// Input validation before anything is sent: limits, NUL text, role order per provider, sane schemas;
/// each failure names its field.
@Suite struct InputValidationTests {
    static let pixel =
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
    static let object: JSONValue = ["type": "object", "properties": ["a": ["type": "string"]]]

    func field(_ stage: ValidationStage, _ request: ChatRequest) -> (ProviderError.Kind, String?)? {
        do {
            try stage.validate(request)
            return nil
        } catch let error as ProviderError {
            return (error.kind, error.field)
        } catch {
            return nil
        }
    }

    @Test func limitsNameTheOffendingField() {
        let stage = ValidationStage(
            limits: ValidationLimits(
                maxPromptBytes: 1000, maxMessages: 3, maxImages: 1, maxImageBytes: 100, maxTools: 1))
        let image = ContentPart.image(.base64(data: Self.pixel, mediaType: "image/png"))
        let big = ContentPart.image(.base64(data: String(repeating: "QUFB", count: 50), mediaType: "image/png"))
        let tool = ToolDefinition(name: "t", parameters: Self.object)
        let cases: [(ChatRequest, ProviderError.Kind, String)] = [
            (
                ChatRequest(messages: [.user("a"), .assistant("b"), .user("c"), .assistant("d")]), .requestTooLarge,
                "messages"
            ),
            (ChatRequest(messages: [.user(String(repeating: "x", count: 1001))]), .requestTooLarge, "messages"),
            (
                ChatRequest(messages: [.user([.text("see"), image, image])]), .requestTooLarge,
                "messages[0].content[2].image"
            ),
            (
                ChatRequest(messages: [.user("a"), .assistant("b"), .user([.text("x"), big])]), .requestTooLarge,
                "messages[2].content[1].image"
            ),
            (
                ChatRequest(messages: [.user("q")], tools: [tool, ToolDefinition(name: "u", parameters: Self.object)]),
                .requestTooLarge, "tools"
            ),
            (ChatRequest(messages: [.user("nul \u{0} here")]), .invalidRequest, "messages[0].content[0]"),
        ]
        for (request, kind, expected) in cases {
            let result = field(stage, request)
            #expect(result?.0 == kind, "\(expected)")
            #expect(result?.1 == expected)
        }
        #expect(field(stage, ChatRequest(messages: [.user([.text("see"), image])])) == nil)
    }

    @Test func roleOrderFollowsThePinnedProvider() {
        let stage = ValidationStage(
            limits: .init(), providerKinds: [.anthropic: .anthropic, .gemini: .gemini, .openAI: .openAI])
        let lateSystem = [ChatMessage.user("a"), .assistant("b"), .system("late"), .user("c")]
        let assistantFirst = [ChatMessage.system("s"), .assistant("hello"), .user("c")]
        for provider in [ProviderID.anthropic, .gemini] {
            #expect(field(stage, ChatRequest(messages: lateSystem, provider: provider))?.1 == "messages[2].role")
            #expect(field(stage, ChatRequest(messages: assistantFirst, provider: provider))?.1 == "messages[1].role")
        }
        #expect(field(stage, ChatRequest(messages: lateSystem, provider: .openAI)) == nil)
        #expect(field(stage, ChatRequest(messages: assistantFirst, provider: .openAI)) == nil)
    }

    static let insaneSchemas: [(schema: JSONValue, field: String)] = [
        (["type": "object", "properties": ["a": ["type": "strng"]]], "tools[0].parameters.properties.a.type"),
        (["type": "object", "properties": ["a": "string"]], "tools[0].parameters.properties.a"),
        (["type": "object", "required": "a"], "tools[0].parameters.required"),
        (
            ["type": "object", "properties": ["a": ["type": "array", "items": ["type": 3]]]],
            "tools[0].parameters.properties.a.items.type"
        ),
        (["type": "object", "properties": ["a": ["enum": []]]], "tools[0].parameters.properties.a.enum"),
        (
            ["type": "object", "properties": ["a": ["$ref": "https://example.com/schema"]]],
            "tools[0].parameters.properties.a.$ref"
        ),
        (["type": "object", "properties": ["a": ["anyOf": []]]], "tools[0].parameters.properties.a.anyOf"),
    ]

    @Test(arguments: insaneSchemas.indices)
    func insaneToolSchemasAreRefused(index: Int) {
        let (schema, expected) = Self.insaneSchemas[index]
        let request = ChatRequest(messages: [.user("q")], tools: [ToolDefinition(name: "t", parameters: schema)])
        let result = field(ValidationStage(), request)
        #expect(result?.0 == .invalidRequest)
        #expect(result?.1 == expected)
    }

    @Test func insaneResponseSchemaIsRefusedAndSaneOnesPass() {
        let bad = ChatRequest(
            messages: [.user("q")],
            responseFormat: .jsonSchema(name: "out", schema: ["type": "object", "properties": 1]))
        #expect(field(ValidationStage(), bad)?.1 == "responseFormat.schema.properties")
        let schema: JSONValue = [
            "type": "object", "properties": ["items": ["type": "array", "items": ["$ref": "#/$defs/item"]]],
            "required": ["items"], "additionalProperties": false,
            "$defs": ["item": ["type": "object", "properties": ["n": ["type": ["integer", "null"]]]]],
        ]
        #expect(
            field(
                ValidationStage(),
                ChatRequest(messages: [.user("q")], responseFormat: .jsonSchema(name: "o", schema: schema))) == nil)
    }

    @Test func limitsComeFromTheConfigurationAndApplyBeforeSending() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(
            "switchboard.yaml",
            "validation: { max_prompt_bytes: 1KB, max_tools: 0, max_images: 2 }\nstructured_output: { retry: true }\n")
        let loaded = try SwitchboardConfiguration.load(
            environment: ["HOME": directory.path], currentDirectory: directory.path)
        #expect(loaded.validation.maxPromptBytes == 1000 || loaded.validation.maxPromptBytes == 1024)
        #expect(loaded.validation.maxTools == 0)
        #expect(loaded.structuredOutput == StructuredOutputPolicy(validates: true, retriesOnce: true))
        try await withSimulatedClient(configure: { $0.validation = loaded.validation }) { client, simulator in
            await #expect {
                try await client.chat(ChatRequest(messages: [.user(String(repeating: "x", count: 2000))]))
            } throws: { error in
                (error as? ProviderError)?.kind == .requestTooLarge && (error as? ProviderError)?.field == "messages"
            }
            #expect(simulator.requests.isEmpty)
        }
    }
}
