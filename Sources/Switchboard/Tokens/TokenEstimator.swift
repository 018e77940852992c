/// Estimates how many input tokens a request will use before it is sent, for rate-limit and budget
/// reservations. A real tokenizer can replace the built-in ``CharacterRatioTokenEstimator``.
public protocol TokenEstimator: Sendable {
    /// The input tokens `request` is expected to use at `provider`.
    func inputTokens(for request: ChatRequest, provider: ProviderID) -> Int
    /// Learns from a response: the estimate for `request` against the input tokens the provider reported.
    func observe(_ request: ChatRequest, provider: ProviderID, actualInputTokens: Int)
}

extension TokenEstimator {
    public func observe(_ request: ChatRequest, provider: ProviderID, actualInputTokens: Int) {}

    /// The most tokens `request` can use: its input estimate plus its output cap (or `defaultMaxOutput`).
    public func worstCaseTokens(for request: ChatRequest, provider: ProviderID, defaultMaxOutput: Int = 4096) -> Int {
        inputTokens(for: request, provider: provider) + (request.maxTokens ?? defaultMaxOutput)
    }
}
