import ArgumentParser
import Foundation
import Switchboard

/// `switchboard ask PROMPT`: one question, answer streamed to stdout.
struct AskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Ask a model one question; the answer streams to stdout.",
        discussion: """
            Reads the prompt from stdin when PROMPT is '-' or missing. When no external provider can be \
            reached, the answer comes from a local model if the task allows one, and stderr says so \
            ("offline — answered by local model X"). A request that needs an external provider then fails \
            (exit 5), or with --defer is queued in the outbox ("offline — queued as #12"; see \
            `switchboard outbox`).
            """
    )

    @Argument(help: "The prompt; '-' or nothing reads it from stdin.")
    var prompt: String?

    @Flag(name: .long, help: "Wait for the whole answer instead of streaming it.")
    var noStream = false

    @Option(name: .long, help: "The provider to ask (openai, anthropic, or a configured name).")
    var provider: String?

    @Option(name: .long, help: "The model id; default: the provider's configured default.")
    var model: String?

    @Option(name: .long, help: "A system prompt.")
    var system: String?

    @Option(name: .long, help: "The most tokens to generate.")
    var maxTokens: Int?

    @Option(name: .long, help: "Sampling temperature, 0 to 2.")
    var temperature: Double?

    @Flag(name: .long, help: "Print one JSON object: text, provider, model, finish_reason, usage.")
    var json = false

    @Flag(
        name: .customLong("defer"),
        help: "Offline, queue a request that needs an external provider instead of failing (implies --no-stream).")
    var deferRequest = false

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let environment = CommandEnvironment(verbose: global.verbose, debug: global.debug)
        let promptText = try readPrompt()
        let options = GenerationOptions(
            maxTokens: maxTokens, temperature: temperature, model: model, provider: provider.map { ProviderID($0) },
            system: system)
        var request = options.request(for: promptText)
        request.metadata.deferrable = deferRequest
        let configuration = try environment.loadConfiguration()
        let output = environment.output
        try await withLLMClient(configuration: configuration, logger: environment.logger) { client in
            let started = ContinuousClock.now
            let response: ChatResponse
            if deferRequest {
                switch try await client.submit(request) {
                case .answered(let answer):
                    response = answer
                    if !json { output.writeModelText(response.text) }
                case .queued(let ticket):
                    output.writeError("\(client.connectivity.mode) — queued as \(ticket)\n")
                    if json {
                        output.write(JSONValue.object(["queued": .integer(Int(ticket.id))]).jsonString() + "\n")
                    }
                    return
                }
            } else if noStream {
                response = try await client.chat(request)
                if !json { output.writeModelText(response.text) }
            } else {
                var accumulator = ChatResponseAccumulator()
                for try await event in try await client.stream(request) {
                    accumulator.add(event)
                    if !json, case .textDelta(let text) = event { output.writeModelText(text) }
                }
                response = try accumulator.response()
            }
            if json {
                output.write(try Self.json(response, latency: ContinuousClock.now - started) + "\n")
            } else {
                if !response.toolCalls.isEmpty {
                    for call in response.toolCalls {
                        output.writeModelText("\n[tool call] \(call.name)(\(call.arguments))")
                    }
                }
                output.write("\n")
            }
            Self.noteMode(of: client, answer: response, output: output)
        }
    }

    /// When not online, says on stderr who answered: "offline — answered by local model X".
    static func noteMode(of client: LLMClient, answer response: ChatResponse, output: TerminalOutput) {
        let mode = client.connectivity.mode
        guard mode != .online else { return }
        let isLocal = client.providers.first { $0.id == response.provider }?.isLocal ?? false
        let who =
            isLocal
            ? "local model \(response.model)" : "\(response.provider) (\(response.model))"
        output.writeError("\(mode) — answered by \(who)\n")
    }

    private func readPrompt() throws -> String {
        if let prompt, prompt != "-" { return prompt }
        let data = FileHandle.standardInput.readDataToEndOfFile()
        guard let text = String(data: data, encoding: .utf8) else {
            throw UsageError(description: "the prompt on stdin is not UTF-8 text")
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw UsageError(description: "no prompt: give one as an argument or on stdin")
        }
        return trimmed
    }

    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }

    static func json(_ response: ChatResponse, latency: Duration) throws -> String {
        var object: [String: JSONValue] = [
            "text": .string(response.text),
            "provider": .string(response.provider.rawValue),
            "model": .string(response.model),
            "finish_reason": .string(response.finishReason.rawValue),
            "latency_ms": .integer(milliseconds(latency)),
        ]
        if let usage = response.usage {
            object["usage"] = [
                "input_tokens": .integer(usage.inputTokens),
                "cache_read_tokens": .integer(usage.cacheReadTokens),
                "cache_write_tokens": .integer(usage.cacheWriteTokens),
                "output_tokens": .integer(usage.outputTokens),
                "reasoning_tokens": .integer(usage.reasoningTokens),
                "total_tokens": .integer(usage.totalTokens),
            ]
        } else {
            object["usage"] = .null
        }
        if let id = response.providerRequestID { object["provider_request_id"] = .string(id) }
        if !response.attempts.isEmpty {
            object["attempts"] = .array(
                response.attempts.map { attempt in
                    var entry: [String: JSONValue] = [
                        "provider": .string(attempt.provider.rawValue), "outcome": .string(attempt.outcome),
                        "latency_ms": .integer(milliseconds(attempt.latency)),
                    ]
                    if let model = attempt.model { entry["model"] = .string(model) }
                    if let note = attempt.note { entry["note"] = .string(note) }
                    return .object(entry)
                })
        }
        if !response.toolCalls.isEmpty {
            object["tool_calls"] = .array(
                response.toolCalls.map {
                    ["id": .string($0.id), "name": .string($0.name), "arguments": .string($0.arguments)]
                })
        }
        return JSONValue.object(object).jsonString()
    }
}
