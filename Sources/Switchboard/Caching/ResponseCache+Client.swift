import Logging

extension ResponseCache {
    /// The cache `configuration` asks for over `providers`, or `nil` when it asks for none: its stores
    /// (its own, SQLite at its path or `<dataDirectory>/cache.sqlite`, or memory), an embeddings cache,
    /// and the semantic cache's embedder (the configured provider, through the embeddings cache).
    ///
    /// - Throws: when the SQLite file cannot be opened, or SQLite is asked for without a path or data directory.
    static func make(
        configuration: ResponseCacheConfiguration?, dataDirectory: String?, providers: [any LanguageModelProvider],
        prices: PriceTable, isSensitive: @escaping @Sendable (ChatRequest) -> Bool, logger: Logger
    ) throws -> ResponseCache? {
        guard let configuration, configuration.enabled else { return nil }
        var responseStore = configuration.responseStore
        var embeddingStore = configuration.embeddingStore
        if responseStore == nil || embeddingStore == nil {
            switch configuration.store {
            case .memory:
                responseStore = responseStore ?? InMemoryResponseCacheStore()
                embeddingStore = embeddingStore ?? InMemoryEmbeddingCacheStore()
            case .sqlite:
                guard let path = configuration.path ?? dataDirectory.map(SQLiteCacheStore.path(dataDirectory:)) else {
                    throw ProviderError(
                        kind: .notConfigured, message: "an SQLite response cache needs a path or a data directory")
                }
                let sqlite = try SQLiteCacheStore(path: path)
                responseStore = responseStore ?? sqlite
                embeddingStore = embeddingStore ?? sqlite
            }
        }
        guard let responseStore, let embeddingStore else { return nil }
        let embeddings = EmbeddingCache(
            store: embeddingStore, maxEntries: configuration.maxEmbeddings,
            cachesSensitive: configuration.cachesSensitive, storeIsLocal: responseStore.isLocal)
        let embedder = configuration.semantic.flatMap { semantic in providers.first { $0.id == semantic.provider } }
        if let semantic = configuration.semantic, embedder == nil {
            logger.warning(
                "the semantic cache's embedding provider is not configured; semantic lookups are off (set cache.semantic)",
                metadata: ["provider": "\(semantic.provider)"])
        }
        let embed: (@Sendable (EmbeddingRequest) async throws -> EmbeddingResponse)? = embedder.map { provider in
            { @Sendable request in try await embeddings.embed(request, provider: provider, logger: logger) }
        }
        return ResponseCache(
            configuration: configuration, store: responseStore, embeddings: embeddings,
            calculator: CostCalculator(prices: prices, localProviders: Set(providers.filter(\.isLocal).map(\.id))),
            embed: embed, embedderIsLocal: embedder?.isLocal ?? false, isSensitive: isSensitive, logger: logger)
    }

    /// What makes a request sensitive beyond its metadata: the sensitivity classifier, when `routing`
    /// turns it on (as the router decides).
    static func sensitivityCheck(routing: RoutingConfiguration?) -> @Sendable (ChatRequest) -> Bool {
        guard routing?.classifiesSensitivity == true else { return { _ in false } }
        let classifier = PatternSensitivityClassifier()
        return { request in !classifier.findings(in: request).isEmpty }
    }
}
