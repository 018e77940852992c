import Foundation
import Switchboard
import SwitchboardTesting

/// A client on the simulator with `cache` (in memory unless a path is given) and an in-memory ledger.
func withCachedClient<T: Sendable>(
    cache: ResponseCacheConfiguration = ResponseCacheConfiguration(),
    usage: UsageConfiguration = UsageConfiguration(ledger: .memory),
    configure: (inout SwitchboardConfiguration) -> Void = { _ in },
    _ body: (LLMClient, ProviderSimulator) async throws -> T
) async throws -> T {
    try await withSimulatedClient(
        usage: usage,
        configure: { configuration in
            configuration.cache = cache
            configure(&configuration)
        }, body)
}

/// The chat-completion requests the simulator received for OpenAI (not model lists or embeddings).
func openAIChats(_ simulator: ProviderSimulator) -> Int {
    simulator.requests(for: .openAI).filter { $0.pathWithoutQuery.hasSuffix("/chat/completions") }.count
}

/// The `/api/chat` requests the simulator received for Ollama.
func ollamaChats(_ simulator: ProviderSimulator) -> Int {
    simulator.requests(for: .ollama).filter { $0.pathWithoutQuery == "/api/chat" }.count
}

/// The `/api/embed` requests the simulator received for Ollama.
func ollamaEmbeds(_ simulator: ProviderSimulator) -> [RecordedRequest] {
    simulator.requests(for: .ollama).filter { $0.pathWithoutQuery == "/api/embed" }
}

/// A wall clock that reads a ``ManualClock``: a fixed date plus the manual clock's elapsed time.
func wallClock(following clock: ManualClock, from start: Date = Date(timeIntervalSince1970: 1_790_000_000)) -> WallClock
{
    WallClock { start.addingTimeInterval(clock.now.offset.secondsValue) }
}

extension Duration {
    var secondsValue: TimeInterval { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// A user question to OpenAI with `metadata`.
func question(
    _ text: String, provider: ProviderID = .openAI, model: String? = nil, temperature: Double? = nil,
    metadata: RequestMetadata = RequestMetadata()
) -> ChatRequest {
    ChatRequest(messages: [.user(text)], model: model, provider: provider, temperature: temperature, metadata: metadata)
}

enum CachePrompts {
    static let report =
        "Please summarise the quarterly sales report for the board of directors in three short bullet points."
    /// Reordered: trigram cosine 0.99.
    static let reportReordered =
        "Summarise the quarterly sales report for the board of directors in three short bullet points, please."
    /// American spelling, no capital or full stop: trigram cosine 0.97.
    static let reportRespelled =
        "please summarize the quarterly sales report for the board of directors in three short bullet points"
    /// Same words in part, another request: trigram cosine 0.53.
    static let marketingPlan =
        "Please summarise the quarterly marketing plan for the sales team in five long paragraphs."
    /// Unrelated: trigram cosine 0.21.
    static let password = "How do I reset my password on the customer portal?"
}
