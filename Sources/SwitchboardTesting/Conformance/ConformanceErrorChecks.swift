import Switchboard

/// One check per error kind an HTTP error status must map to.
enum ConformanceErrorChecks {
    struct Case: Sendable {
        let name: String
        let status: Int
        let kind: ProviderError.Kind
        /// The scripted error for a provider, or `nil` when the provider has no such error.
        let scripted: @Sendable (ConformanceProfile) -> ConformanceProfile.ScriptedError?
    }

    static func plain(_ status: Int, _ kind: ProviderError.Kind) -> Case {
        Case(name: "\(status) → \(kind)", status: status, kind: kind) { _ in .init() }
    }

    static let cases: [Case] = [
        plain(400, .invalidRequest), plain(403, .permissionDenied), plain(404, .notFound),
        plain(413, .requestTooLarge), plain(429, .rateLimited), plain(500, .server), plain(503, .overloaded),
        Case(name: "529 → overloaded", status: 529, kind: .overloaded) { $0.extraStatuses[529] == nil ? nil : .init() },
        Case(name: "context too long", status: 400, kind: .contextTooLong) { $0.contextTooLong },
        Case(name: "quota exceeded", status: 429, kind: .quotaExceeded) { $0.quotaExceeded },
    ]

    static var all: [ConformanceCheck] {
        cases.map { testCase in
            ConformanceCheck(name: "error \(testCase.name)") { context in
                guard let scripted = testCase.scripted(context.profile) else { return }
                let retryAfter: Duration? = testCase.status == 429 ? .milliseconds(1500) : nil
                context.simulator.enqueue(
                    .failure(
                        status: testCase.status, type: scripted.type, code: scripted.code, message: scripted.message,
                        retryAfter: retryAfter),
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
                if testCase.kind == .rateLimited && context.profile.retryHintOnRateLimit {
                    try context.require(
                        error.retryAfter == retryAfter, "retry hint was \(String(describing: error.retryAfter))")
                }
                try context.require(!error.description.contains(context.apiKey), "the error holds the API key")
            }
        }
    }
}
