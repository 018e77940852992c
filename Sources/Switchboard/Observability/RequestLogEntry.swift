import Foundation

/// One line of the request log: what a request was, where it went and how it ended.
///
/// Prompts and answers appear only when the log includes content (debug mode), and then with
/// secrets redacted. Encoded as one JSON object per line with snake_case keys.
public struct RequestLogEntry: Codable, Hashable, Sendable {
    /// One attempt of the request.
    public struct Attempt: Codable, Hashable, Sendable {
        public var provider: String
        public var model: String?
        public var outcome: String
        public var latencyMilliseconds: Int
        public var note: String?

        enum CodingKeys: String, CodingKey {
            case provider, model, outcome, note
            case latencyMilliseconds = "latency_ms"
        }
    }

    /// Tokens by kind (see ``Usage``).
    public struct Tokens: Codable, Hashable, Sendable {
        public var input: Int
        public var cacheRead: Int
        public var cacheWrite: Int
        public var output: Int
        public var reasoning: Int

        enum CodingKeys: String, CodingKey {
            case input, output, reasoning
            case cacheRead = "cache_read"
            case cacheWrite = "cache_write"
        }

        init(_ usage: Usage) {
            input = usage.inputTokens
            cacheRead = usage.cacheReadTokens
            cacheWrite = usage.cacheWriteTokens
            output = usage.outputTokens
            reasoning = usage.reasoningTokens
        }
    }

    public var time: Date
    public var requestID: String
    public var provider: String?
    public var model: String?
    public var taskType: String?
    public var feature: String?
    public var user: String?
    public var streamed: Bool
    /// `success`, an error kind (`rateLimited`, `timeout`, …), `abandoned` or `cancelled`.
    public var outcome: String
    public var error: String?
    public var latencyMilliseconds: Int
    public var timeToFirstTokenMilliseconds: Int?
    public var tokens: Tokens?
    /// The exact cost in USD as a decimal string; `nil` when the price is unknown.
    public var costUSD: String?
    public var attempts: [Attempt]
    /// The messages sent, redacted (debug mode only).
    public var prompt: [String]?
    /// The answer's text, redacted (debug mode only).
    public var response: String?

    enum CodingKeys: String, CodingKey {
        case time, provider, model, feature, user, streamed, outcome, error, tokens, attempts, prompt, response
        case requestID = "request_id"
        case costUSD = "cost_usd"
        case taskType = "task_type"
        case latencyMilliseconds = "latency_ms"
        case timeToFirstTokenMilliseconds = "ttft_ms"
    }

    public init(
        time: Date, requestID: String, provider: String? = nil, model: String? = nil, taskType: String? = nil,
        feature: String? = nil, user: String? = nil, streamed: Bool = false, outcome: String, error: String? = nil,
        latencyMilliseconds: Int = 0, timeToFirstTokenMilliseconds: Int? = nil, tokens: Tokens? = nil,
        attempts: [Attempt] = [], prompt: [String]? = nil, response: String? = nil
    ) {
        self.time = time
        self.requestID = requestID
        self.provider = provider
        self.model = model
        self.taskType = taskType
        self.feature = feature
        self.user = user
        self.streamed = streamed
        self.outcome = outcome
        self.error = error
        self.latencyMilliseconds = latencyMilliseconds
        self.timeToFirstTokenMilliseconds = timeToFirstTokenMilliseconds
        self.tokens = tokens
        self.attempts = attempts
        self.prompt = prompt
        self.response = response
    }

    /// The entry as one JSON line, without the trailing newline.
    public func jsonLine() -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Every field is a string, number, bool, date or array of them: encoding cannot fail.
        let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// Decodes a line written by ``jsonLine()``.
    public static func parse(_ line: String) throws -> RequestLogEntry {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(RequestLogEntry.self, from: Data(line.utf8))
    }
}

extension RequestLogEntry.Attempt {
    init(_ attempt: RequestAttempt) {
        provider = attempt.provider.rawValue
        model = attempt.model
        outcome = attempt.outcome
        latencyMilliseconds = Int(attempt.latency.nanoseconds / 1_000_000)
        note = attempt.note
    }
}
