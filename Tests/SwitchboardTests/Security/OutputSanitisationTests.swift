import Foundation
import Switchboard
import SwitchboardTesting
import Testing

/// Output sanitisation: terminal text, HTML escaping, and structured output checked against its schema.
@Suite struct OutputSanitisationTests {
    static let schema: JSONValue = [
        "type": "object",
        "properties": [
            "name": ["type": "string", "minLength": 1], "age": ["type": "integer", "minimum": 0],
            "tags": ["type": "array", "items": ["enum": ["a", "b"]]],
        ],
        "required": ["name", "age"], "additionalProperties": false,
    ]

    @Test func terminalTextLosesEscapesControlsAndBidiOverrides() {
        let hostile = "ok\u{1B}[2J\u{1B}]0;pwned\u{07} \u{202E}txt.exe\u{202C}\u{0}\u{9B}31m done\n\ttab"
        #expect(TerminalSanitizer.sanitize(hostile) == "ok txt.exe done\n\ttab")
    }

    @Test func htmlEscaping() {
        #expect(
            HTMLEscaper.escape(#"<script>alert("x")</script> & 'q'"#)
                == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;")
        #expect(HTMLEscaper.escape("plain é") == "plain é")
    }

    @Test func validatorReportsPaths() throws {
        let good = try JSONValue.parse(#"{"name":"Ada","age":36,"tags":["a"]}"#)
        #expect(JSONSchemaValidator.violations(of: good, against: Self.schema).isEmpty)
        let bad = try JSONValue.parse(#"{"name":"","age":3.5,"tags":["c"],"extra":1}"#)
        let paths = JSONSchemaValidator.violations(of: bad, against: Self.schema).map(\.path)
        #expect(paths == ["$.age", "$.extra", "$.name", "$.tags[0]"])
        let missing = JSONSchemaValidator.violations(of: ["name": "x"], against: Self.schema)
        #expect(missing.map(\.description) == ["$: missing required property 'age'"])
    }

    func request() -> ChatRequest {
        ChatRequest(
            messages: [.user("who?")], provider: .openAI,
            responseFormat: .jsonSchema(name: "person", schema: Self.schema))
    }

    @Test func mismatchedAnswerIsATypedErrorNamingThePath() async throws {
        try await withSimulatedClient { client, simulator in
            simulator.enqueue(.text(#"{"name":"Ada","age":"old"}"#), for: .openAI)
            await #expect {
                try await client.chat(request())
            } throws: { error in
                let error = error as? ProviderError
                return error?.kind == .invalidOutput && error?.field == "$.age"
            }
            simulator.enqueue(.text("not json"), for: .openAI)
            await #expect {
                try await client.chat(request())
            } throws: { error in
                (error as? ProviderError)?.kind == .invalidOutput && (error as? ProviderError)?.field == "$"
            }
            #expect(simulator.requests(for: .openAI).count == 2, "no retry unless configured")
        }
    }

    @Test func oneRetryTellsTheModelWhatWasWrong() async throws {
        try await withSimulatedClient(configure: { $0.structuredOutput.retriesOnce = true }) { client, simulator in
            simulator.enqueue(.text(#"{"name":"Ada"}"#), for: .openAI)
            simulator.enqueue(.text(#"{"name":"Ada","age":36}"#), for: .openAI)
            let response = try await client.chat(request())
            #expect(try JSONValue.parse(response.text) == ["name": "Ada", "age": 36])
            let retry = try #require(simulator.requests(for: .openAI).last?.bodyText)
            #expect(retry.contains("missing required property 'age'"))
            simulator.enqueue(.text("{}"), for: .openAI)
            simulator.enqueue(.text("[]"), for: .openAI)
            await #expect {
                try await client.chat(request())
            } throws: { error in
                (error as? ProviderError)?.kind == .invalidOutput
            }
            #expect(simulator.requests(for: .openAI).count == 4, "a single retry, never more")
        }
    }
}
