/// A request for vector embeddings of one or more texts.
public struct EmbeddingRequest: Hashable, Sendable {
    public var inputs: [String]
    public var model: String?
    public var provider: ProviderID?
    /// Shortens the vectors, for models that support it.
    public var dimensions: Int?
    public var metadata: RequestMetadata

    public init(
        inputs: [String],
        model: String? = nil,
        provider: ProviderID? = nil,
        dimensions: Int? = nil,
        metadata: RequestMetadata = .init()
    ) {
        self.inputs = inputs
        self.model = model
        self.provider = provider
        self.dimensions = dimensions
        self.metadata = metadata
    }
}

/// Vectors in the order of the request's inputs.
public struct EmbeddingResponse: Hashable, Sendable {
    public var embeddings: [[Float]]
    public var model: String
    public var provider: ProviderID
    public var usage: Usage?

    public init(embeddings: [[Float]], model: String, provider: ProviderID, usage: Usage?) {
        self.embeddings = embeddings
        self.model = model
        self.provider = provider
        self.usage = usage
    }
}

/// Whether a provider answers, and how fast.
public struct ProviderHealth: Hashable, Sendable {
    public enum Status: String, Hashable, Sendable {
        case healthy, degraded, unavailable
    }

    public var provider: ProviderID
    public var status: Status
    public var latency: Duration?
    /// Why the provider is not healthy; safe to print.
    public var detail: String?

    public init(provider: ProviderID, status: Status, latency: Duration? = nil, detail: String? = nil) {
        self.provider = provider
        self.status = status
        self.latency = latency
        self.detail = detail
    }
}
