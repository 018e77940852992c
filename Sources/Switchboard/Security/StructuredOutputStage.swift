/// Checks a structured answer against the JSON Schema the request asked for (the
/// `structured_output:` section).
public struct StructuredOutputPolicy: Hashable, Sendable {
    /// Whether answers to `.jsonSchema` requests are validated (default: yes).
    public var validates: Bool
    /// Whether an answer that does not match is asked for once more, with a message that tells the
    /// model what was wrong (default: no; each retry is a paid request).
    public var retriesOnce: Bool

    public init(validates: Bool = true, retriesOnce: Bool = false) {
        self.validates = validates
        self.retriesOnce = retriesOnce
    }
}

/// Validates the answer of every complete (non-streamed) request whose ``ChatRequest/responseFormat``
/// is `.jsonSchema` against that schema, with ``JSONSchemaValidator``.
///
/// An answer that is not JSON or does not match fails with ``ProviderError/Kind/invalidOutput``,
/// whose ``ProviderError/field`` is the first offending path (`$.age`). With
/// ``StructuredOutputPolicy/retriesOnce``, the request is first sent once more with the bad answer and
/// a user message listing what was wrong. Streams pass through unchecked (their text arrives in pieces).
public struct StructuredOutputStage: ChatMiddleware {
    public var policy: StructuredOutputPolicy

    public init(policy: StructuredOutputPolicy = .init()) { self.policy = policy }

    public func complete(
        _ request: ChatRequest, context: RequestContext, next: ChatHandler
    ) async throws -> ChatResponse {
        guard policy.validates, case .jsonSchema(_, let schema, _) = request.responseFormat else {
            return try await next(request, context)
        }
        let response = try await next(request, context)
        let violations = Self.violations(in: response.text, schema: schema)
        guard !violations.isEmpty else { return response }
        guard policy.retriesOnce else { throw Self.error(violations, response: response) }
        context.logger.notice(
            "structured output did not match its schema; asking once more",
            metadata: ["violations": "\(violations.count)", "first": "\(violations[0])"])
        var corrected = request
        corrected.messages.append(.assistant(response.text))
        corrected.messages.append(.user(Self.correction(violations)))
        let second = try await next(corrected, context)
        let remaining = Self.violations(in: second.text, schema: schema)
        guard remaining.isEmpty else { throw Self.error(remaining, response: second) }
        return second
    }

    /// The problems of `text` against `schema`; a text that is not JSON is one problem at `$`.
    public static func violations(in text: String, schema: JSONValue) -> [JSONSchemaValidator.Violation] {
        guard let value = try? JSONValue.parse(text) else {
            return [JSONSchemaValidator.Violation(path: "$", problem: "the answer is not valid JSON")]
        }
        return JSONSchemaValidator.violations(of: value, against: schema)
    }

    /// The message that tells the model what to fix.
    static func correction(_ violations: [JSONSchemaValidator.Violation]) -> String {
        "Your previous answer does not match the required JSON Schema:\n"
            + violations.prefix(10).map { "- \($0)" }.joined(separator: "\n")
            + "\nAnswer again with only the JSON value, matching the schema exactly."
    }

    static func error(_ violations: [JSONSchemaValidator.Violation], response: ChatResponse) -> ProviderError {
        var error = ProviderError(
            kind: .invalidOutput, provider: response.provider,
            message: "the answer does not match the requested JSON Schema: "
                + violations.prefix(5).map(\.description).joined(separator: "; "))
        error.field = violations.first?.path
        error.attempts = response.attempts
        return error
    }
}
