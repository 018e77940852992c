import Switchboard

/// One named check of the conformance suite.
struct ConformanceCheck: Sendable {
    let name: String
    let body: @Sendable (ConformanceContext) async throws -> Void
}

/// The checks; each gets a fresh simulator.
enum ConformanceChecks {
    static let all: [ConformanceCheck] =
        [
            ConformanceCheck(name: "text", body: text),
            ConformanceCheck(name: "stream", body: stream),
            ConformanceCheck(name: "tool call", body: toolCall),
            ConformanceCheck(name: "streamed tool call", body: streamedToolCall),
            ConformanceCheck(name: "tool result round trip", body: toolResultRoundTrip),
            ConformanceCheck(name: "JSON output", body: jsonOutput),
            ConformanceCheck(name: "image input", body: imageInput),
            ConformanceCheck(name: "usage with cache", body: usageWithCache),
            ConformanceCheck(name: "streamed usage", body: streamedUsage),
            ConformanceCheck(name: "models", body: models),
            ConformanceCheck(name: "wrong key", body: wrongKey),
            ConformanceCheck(name: "stream cut", body: streamCut),
            ConformanceCheck(name: "malformed chunk", body: malformedChunk),
            ConformanceCheck(name: "in-stream error", body: inStreamError),
            ConformanceCheck(name: "dropped connection", body: droppedConnection),
            ConformanceCheck(name: "streamed HTTP error", body: streamedHTTPError),
            ConformanceCheck(name: "cancellation closes the connection", body: cancellation),
        ] + ConformanceErrorChecks.all

    static func text(_ context: ConformanceContext) async throws {
        context.simulator.enqueue(
            .text("Hello, conformance.", usage: SimulatedUsage(inputTokens: 12, outputTokens: 5)),
            for: context.simulated)
        let response = try await context.provider.complete(
            ChatRequest(
                messages: [.system("Be brief."), .user("Say hello")], model: "conformance-model", maxTokens: 50),
            logger: context.logger)
        try context.require(response.text == "Hello, conformance.", "text was '\(response.text)'")
        try context.require(response.finishReason == .stop, "finish reason was \(response.finishReason)")
        try context.require(
            response.usage == Usage(inputTokens: 12, outputTokens: 5), "usage was \(String(describing: response.usage))"
        )
        try context.require(response.provider == context.provider.id, "provider was \(response.provider)")
        try context.require(response.model == "conformance-model", "model was \(response.model)")
        try context.require(
            !context.profile.sendsRequestID || response.providerRequestID != nil, "no provider request id")
        try context.require(
            !context.profile.sendsRateLimitHeaders || response.rateLimit != nil, "rate-limit headers were not read")
        let body = try context.lastRequestBody()
        try context.require(body.containsString("Be brief."), "the system prompt was not sent")
        try context.require(body.containsString("Say hello"), "the user message was not sent")
    }

    static func stream(_ context: ConformanceContext) async throws {
        var reply = SimulatedReply.text("Streaming works across many small pieces.")
        reply.chunkSize = 3
        context.simulator.enqueue(reply, for: context.simulated)
        let (events, error) = await context.drain(
            try await context.provider.stream(ChatRequest(messages: [.user("Stream please")]), logger: context.logger))
        try context.require(error == nil, "the stream failed: \(String(describing: error))")
        guard case .started = events.first else {
            throw ConformanceFailure(check: context.check, message: "first event was not started")
        }
        guard case .finish(let finish) = events.last else {
            throw ConformanceFailure(check: context.check, message: "last event was not finish")
        }
        try context.require(finish.reason == .stop, "finish reason was \(finish.reason)")
        let deltas = events.compactMap { if case .textDelta(let text) = $0 { text } else { nil } }
        try context.require(deltas.count > 5, "expected many text deltas, got \(deltas.count)")
        try context.require(
            deltas.joined() == "Streaming works across many small pieces.", "text was '\(deltas.joined())'")
    }

    static let weatherTool = ToolDefinition(
        name: "get_weather", description: "Weather for a city",
        parameters: ["type": "object", "properties": ["city": ["type": "string"]], "required": ["city"]])

    static func toolCall(_ context: ConformanceContext) async throws {
        context.simulator.enqueue(
            .toolCall(name: "get_weather", arguments: #"{"city":"Paris"}"#, id: "call_1"), for: context.simulated)
        let response = try await context.provider.complete(
            ChatRequest(messages: [.user("Weather?")], tools: [weatherTool], toolChoice: .auto), logger: context.logger)
        try context.require(response.finishReason == .toolCalls, "finish reason was \(response.finishReason)")
        try context.require(response.toolCalls.count == 1, "expected one tool call, got \(response.toolCalls.count)")
        let call = response.toolCalls[0]
        try context.require(call.name == "get_weather" && call.id == "call_1", "call was \(call)")
        try context.require(call.parsedArguments == ["city": "Paris"], "arguments were \(call.arguments)")
        try context.require(try context.lastRequestBody().containsString("get_weather"), "the tool was not sent")
    }

    static func streamedToolCall(_ context: ConformanceContext) async throws {
        var reply = SimulatedReply.toolCall(name: "get_weather", arguments: #"{"city":"New York City"}"#)
        reply.chunkSize = 4
        context.simulator.enqueue(reply, for: context.simulated)
        let stream = try await context.provider.stream(
            ChatRequest(messages: [.user("Weather?")], tools: [weatherTool]), logger: context.logger)
        let response = try await stream.collect()
        try context.require(response.finishReason == .toolCalls, "finish reason was \(response.finishReason)")
        try context.require(response.toolCalls.count == 1, "expected one tool call, got \(response.toolCalls.count)")
        try context.require(
            response.toolCalls[0].parsedArguments == ["city": "New York City"],
            "assembled arguments were \(response.toolCalls[0].arguments)")
        try context.require(!response.toolCalls[0].id.isEmpty, "the tool call has no id")
    }

    static func toolResultRoundTrip(_ context: ConformanceContext) async throws {
        context.simulator.enqueue(.text("It is 22C and sunny in Paris."), for: context.simulated)
        let call = ToolCall(id: "call_abc", name: "get_weather", arguments: #"{"city":"Paris"}"#)
        let response = try await context.provider.complete(
            ChatRequest(
                messages: [
                    .user("Weather in Paris?"), .assistant("", toolCalls: [call]),
                    .tool(callID: "call_abc", "22C, sunny"),
                ], tools: [weatherTool]),
            logger: context.logger)
        try context.require(response.text == "It is 22C and sunny in Paris.", "text was \(response.text)")
        let body = try context.lastRequestBody()
        try context.require(body.containsString("call_abc"), "the tool call id was not sent back")
        try context.require(body.containsString("22C, sunny"), "the tool result was not sent")
    }

    static func jsonOutput(_ context: ConformanceContext) async throws {
        context.simulator.enqueue(.text(#"{"age":42}"#), for: context.simulated)
        let schema: JSONValue = [
            "type": "object", "properties": ["age": ["type": "integer"]], "required": ["age"],
            "additionalProperties": false,
        ]
        let response = try await context.provider.complete(
            ChatRequest(messages: [.user("Age?")], responseFormat: .jsonSchema(name: "person", schema: schema)),
            logger: context.logger)
        try context.require(try JSONValue.parse(response.text) == ["age": 42], "answer was \(response.text)")
        try context.require(try context.lastRequestBody().contains(schema), "the JSON schema was not sent")
    }

    static func imageInput(_ context: ConformanceContext) async throws {
        context.simulator.enqueue(.text("A red pixel."), for: context.simulated)
        let pixel = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
        _ = try await context.provider.complete(
            ChatRequest(messages: [
                .user([.text("What is this?"), .image(.base64(data: pixel, mediaType: "image/png"))])
            ]),
            logger: context.logger)
        let body = try context.lastRequestBody()
        try context.require(body.containsString(pixel), "the image data was not sent")
        try context.require(
            !context.profile.sendsImageMediaType || body.containsString("image/png"),
            "the image media type was not sent")
    }

    static func usageWithCache(_ context: ConformanceContext) async throws {
        context.simulator.enqueue(
            .text(
                "Cached.",
                usage: SimulatedUsage(inputTokens: 40, outputTokens: 7, cachedInputTokens: 100, cacheWriteTokens: 20)),
            for: context.simulated)
        let response = try await context.provider.complete(
            ChatRequest(messages: [.user("Use the cache")]), logger: context.logger)
        let expected = context.profile.expectedUsage(input: 40, output: 7, cacheRead: 100, cacheWrite: 20)
        try context.require(
            response.usage == expected, "usage was \(String(describing: response.usage)), expected \(expected)")
        try context.require(
            response.usage?.totalInputTokens == expected.totalInputTokens, "cached tokens were counted twice or lost")
    }

    static func streamedUsage(_ context: ConformanceContext) async throws {
        context.simulator.enqueue(
            .text("Counted.", usage: SimulatedUsage(inputTokens: 30, outputTokens: 3, cachedInputTokens: 10)),
            for: context.simulated)
        let response = try await context.provider.stream(
            ChatRequest(messages: [.user("Count")]), logger: context.logger
        ).collect()
        let expected = context.profile.expectedUsage(input: 30, output: 3, cacheRead: 10)
        try context.require(response.usage == expected, "streamed usage was \(String(describing: response.usage))")
    }

    static func models(_ context: ConformanceContext) async throws {
        context.simulator.setModels(["model-a", "model-b"], for: context.simulated)
        let models = try await context.provider.models(logger: context.logger)
        let ids = models.map { $0.id.hasSuffix(":latest") ? String($0.id.dropLast(7)) : $0.id }.sorted()
        try context.require(ids == ["model-a", "model-b"], "models were \(models.map(\.id))")
        try context.require(models.allSatisfy { $0.provider == context.provider.id }, "models name another provider")
    }

    static func wrongKey(_ context: ConformanceContext) async throws {
        guard let status = context.profile.invalidKeyStatus else { return }
        context.simulator.requireAPIKey("sk-a-different-key-0000000000", for: context.simulated)
        let error = try await context.requireProviderError {
            _ = try await context.provider.complete(ChatRequest(messages: [.user("hi")]), logger: context.logger)
        }
        try context.require(error.kind == .authentication, "kind was \(error.kind)")
        try context.require(error.status == status, "status was \(String(describing: error.status))")
        try context.require(!error.isRetryable, "an authentication error must not be retryable")
        try context.require(!error.description.contains(context.apiKey), "the error holds the API key")
    }

    static func streamCut(_ context: ConformanceContext) async throws {
        var reply = SimulatedReply.text("This answer will be cut off in the middle of the stream.")
        reply.chunkSize = 4
        context.simulator.enqueue(reply.with(.cutStream(afterEvents: 5)), for: context.simulated)
        let (events, error) = await context.drain(
            try await context.provider.stream(ChatRequest(messages: [.user("hi")]), logger: context.logger))
        let kind = (error as? ProviderError)?.kind
        try context.require(kind == .streamInterrupted, "a cut stream ended with \(String(describing: error))")
        try context.require(
            !events.contains { if case .finish = $0 { true } else { false } }, "a cut stream finished cleanly")
        try context.require(
            events.contains { if case .textDelta = $0 { true } else { false } }, "no text before the cut")
    }

    static func malformedChunk(_ context: ConformanceContext) async throws {
        context.simulator.enqueue(
            SimulatedReply.text("Fine until it is not.").with(.malformedChunk(afterEvents: 3)), for: context.simulated)
        let (_, error) = await context.drain(
            try await context.provider.stream(ChatRequest(messages: [.user("hi")]), logger: context.logger))
        let kind = (error as? ProviderError)?.kind
        try context.require(kind == .invalidResponse, "a malformed chunk ended with \(String(describing: error))")
    }

    static func inStreamError(_ context: ConformanceContext) async throws {
        let (scripted, expected) = context.profile.inStreamError
        context.simulator.enqueue(
            SimulatedReply.text("Partial answer before the failure.").with(
                .inStreamError(afterEvents: 3, type: scripted.type ?? "error", message: scripted.message ?? "failed")),
            for: context.simulated)
        let (_, error) = await context.drain(
            try await context.provider.stream(ChatRequest(messages: [.user("hi")]), logger: context.logger))
        guard let error = error as? ProviderError else {
            throw ConformanceFailure(
                check: context.check, message: "expected a ProviderError, got \(String(describing: error))")
        }
        try context.require(error.kind == expected, "kind was \(error.kind), expected \(expected)")
        if let type = scripted.type {
            try context.require(
                error.providerErrorType == type,
                "provider error type was \(String(describing: error.providerErrorType))")
        }
    }

    static func droppedConnection(_ context: ConformanceContext) async throws {
        context.simulator.enqueue(SimulatedReply.text("never sent").with(.dropConnection), for: context.simulated)
        let error = try await context.requireProviderError {
            _ = try await context.provider.complete(ChatRequest(messages: [.user("hi")]), logger: context.logger)
        }
        try context.require(error.kind == .network, "kind was \(error.kind)")
        try context.require(error.isRetryable, "a dropped connection should be retryable")
    }

    static func streamedHTTPError(_ context: ConformanceContext) async throws {
        context.simulator.enqueue(.failure(status: 429, retryAfter: .seconds(3)), for: context.simulated)
        let error = try await context.requireProviderError {
            _ = try await context.provider.stream(ChatRequest(messages: [.user("hi")]), logger: context.logger)
        }
        try context.require(error.kind == .rateLimited, "kind was \(error.kind)")
        try context.require(
            !context.profile.retryHintOnRateLimit || error.retryAfter == .seconds(3),
            "retry hint was \(String(describing: error.retryAfter))")
    }

    static func cancellation(_ context: ConformanceContext) async throws {
        var reply = SimulatedReply.text(String(repeating: "slow words ", count: 200))
        reply.chunkSize = 5
        context.simulator.enqueue(reply.with(.eventInterval(.milliseconds(20))), for: context.simulated)
        let provider = context.provider
        let logger = context.logger
        let (firstEvent, firstEventContinuation) = AsyncStream.makeStream(of: Void.self)
        let reader = Task {
            let stream = try await provider.stream(ChatRequest(messages: [.user("hi")]), logger: logger)
            for try await event in stream {
                if case .textDelta = event { firstEventContinuation.yield() }
            }
        }
        for await _ in firstEvent { break }
        reader.cancel()
        let result = await reader.result
        if case .success = result {
            throw ConformanceFailure(check: context.check, message: "the cancelled stream finished normally")
        }
        await context.simulator.waitForClientDisconnects(1)
        try context.require(context.simulator.clientDisconnects >= 1, "the simulator saw no disconnect")
    }
}
