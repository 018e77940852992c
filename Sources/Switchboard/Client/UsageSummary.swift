/// Requests and tokens an ``LLMClient`` has used since it was created.
public struct UsageSummary: Hashable, Sendable {
    /// Per provider.
    public struct Entry: Hashable, Sendable {
        public var requests = 0
        public var failedRequests = 0
        public var usage = Usage.zero
    }

    public var requests = 0
    public var failedRequests = 0
    public var usage = Usage.zero
    public var byProvider: [ProviderID: Entry] = [:]

    mutating func add(provider: ProviderID?, usage: Usage?, failed: Bool) {
        requests += 1
        if failed { failedRequests += 1 }
        if let usage { self.usage += usage }
        guard let provider else { return }
        var entry = byProvider[provider] ?? Entry()
        entry.requests += 1
        if failed { entry.failedRequests += 1 }
        if let usage { entry.usage += usage }
        byProvider[provider] = entry
    }
}
