import Switchboard

/// One check per error kind an HTTP error status must map to.
enum ConformanceErrorChecks {
    struct Case: Sendable {
        let name: String
        let status: Int
        let type: String?
        let code: String?
        let message: String?
        let kind: ProviderError.Kind
        let onlyFor: SimulatedProvider?
    }

    static let cases: [Case] = [
        Case(
            name: "400 → invalidRequest", status: 400, type: nil, code: nil, message: nil, kind: .invalidRequest,
            onlyFor: nil),
        Case(
            name: "403 → permissionDenied", status: 403, type: nil, code: nil, message: nil, kind: .permissionDenied,
            onlyFor: nil),
        Case(name: "404 → notFound", status: 404, type: nil, code: nil, message: nil, kind: .notFound, onlyFor: nil),
        Case(
            name: "413 → requestTooLarge", status: 413, type: nil, code: nil, message: nil, kind: .requestTooLarge,
            onlyFor: nil),
        Case(
            name: "429 → rateLimited", status: 429, type: nil, code: nil, message: nil, kind: .rateLimited, onlyFor: nil
        ),
        Case(name: "500 → server", status: 500, type: nil, code: nil, message: nil, kind: .server, onlyFor: nil),
        Case(
            name: "503 → overloaded", status: 503, type: nil, code: nil, message: nil, kind: .overloaded, onlyFor: nil),
        Case(
            name: "529 → overloaded", status: 529, type: nil, code: nil, message: nil, kind: .overloaded,
            onlyFor: .anthropic),
        Case(
            name: "context too long", status: 400, type: "invalid_request_error", code: "context_length_exceeded",
            message: "prompt is too long: 250000 tokens > 200000 maximum", kind: .contextTooLong, onlyFor: nil),
        Case(
            name: "quota exceeded", status: 429, type: "insufficient_quota", code: "insufficient_quota",
            message: "You exceeded your current quota", kind: .quotaExceeded, onlyFor: .openAI),
    ]

    static var all: [ConformanceCheck] {
        cases.map { testCase in
            ConformanceCheck(name: "error \(testCase.name)") { context in
                if let only = testCase.onlyFor, only != context.simulated { return }
                context.simulator.enqueue(
                    .failure(
                        status: testCase.status, type: testCase.type, code: testCase.code, message: testCase.message,
                        retryAfter: testCase.status == 429 ? .milliseconds(1500) : nil),
                    for: context.simulated)
                let error = try await context.requireProviderError {
                    _ = try await context.provider.complete(
                        ChatRequest(messages: [.user("hi")]), logger: context.logger)
                }
                try context.require(
                    error.kind == testCase.kind, "HTTP \(testCase.status) gave \(error.kind), expected \(testCase.kind)"
                )
                try context.require(error.status == testCase.status, "status was \(String(describing: error.status))")
                try context.require(
                    error.provider == context.provider.id, "provider was \(String(describing: error.provider))")
                if testCase.status == 429 {
                    try context.require(
                        error.retryAfter == .milliseconds(1500),
                        "retry hint was \(String(describing: error.retryAfter))")
                }
                try context.require(!error.description.contains(context.apiKey), "the error holds the API key")
            }
        }
    }
}
