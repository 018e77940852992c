import Foundation

/// Everything an ``LLMClient`` needs: providers, the default provider, deadlines, the data folder.
///
/// Build one in code, or ``load(environment:currentDirectory:)`` it from the environment and a
/// YAML file. Precedence, highest first: values set in code (and CLI flags), the providers'
/// environment variables (`OPENAI_API_KEY`, `OPENAI_BASE_URL`, `ANTHROPIC_API_KEY`,
/// `ANTHROPIC_BASE_URL`), the config file, built-in defaults.
public struct SwitchboardConfiguration: Sendable {
    /// Providers in the order they were configured.
    public var providers: [ProviderConfiguration]
    /// The provider used when a request names none; `nil` means the first configured.
    public var defaultProvider: ProviderID?
    public var transport: TransportConfiguration
    /// Where Switchboard keeps its data (`SWITCHBOARD_HOME`, default `$XDG_DATA_HOME/switchboard`).
    public var dataDirectory: String
    /// The config file that was read, if any.
    public var sourceFile: String?
    /// Task routing and fallback chains; `nil` sends each request to the provider it names or the
    /// default provider (sensitive requests to local providers only), still with ``resilience``.
    public var routing: RoutingConfiguration?
    /// Retries, circuit breakers and the per-request deadline, with or without task routing.
    public var resilience = ResilienceConfiguration()
    /// One JSON line per request, to a rotating file or the logger; `nil` writes none.
    public var requestLog: RequestLogConfiguration?
    /// Debug mode (`SWITCHBOARD_DEBUG=1`): every request's log line, with its prompt and answer
    /// (secrets redacted), also goes to standard error.
    public var debug = false
    /// Prices, the usage ledger, time zone and budgets.
    public var usage = UsageConfiguration()
    /// Rate limits and request queueing per provider, model and key; `nil` sends every request at once
    /// and learns nothing from rate-limit headers.
    public var rateLimits: RateLimitConfiguration?
    /// When the client counts as offline, its recovery probes, the outbox of deferred requests, and
    /// whether cached answers are served offline.
    public var offline = OfflineConfiguration()
    /// Key selection, rotation and the encrypted key store (see ``KeyConfiguration`` for where keys come from).
    public var keys = KeyConfiguration()
    /// The audit trail of key use and key management; `nil` keeps none. ``load(environment:currentDirectory:)``
    /// turns it on (SQLite in the data directory) unless the file says `audit: { enabled: false }`.
    public var audit: AuditConfiguration?
    /// Size and count limits checked before anything is sent (``ValidationStage``).
    public var validation = ValidationLimits()
    /// Whether structured answers are checked against their JSON Schema, and retried once (``StructuredOutputStage``).
    public var structuredOutput = StructuredOutputPolicy()
    /// The response, semantic and embedding caches; `nil` caches nothing.
    public var cache: ResponseCacheConfiguration?

    public init(
        providers: [ProviderConfiguration] = [],
        defaultProvider: ProviderID? = nil,
        transport: TransportConfiguration = .init(),
        dataDirectory: String = SwitchboardConfiguration.defaultDataDirectory(environment: [:]),
        sourceFile: String? = nil
    ) {
        self.providers = providers
        self.defaultProvider = defaultProvider
        self.transport = transport
        self.dataDirectory = dataDirectory
        self.sourceFile = sourceFile
    }

    /// `SWITCHBOARD_HOME`, else `$XDG_DATA_HOME/switchboard`, else `~/.local/share/switchboard`.
    public static func defaultDataDirectory(environment: [String: String]) -> String {
        if let home = environment["SWITCHBOARD_HOME"], !home.isEmpty { return home }
        if let data = environment["XDG_DATA_HOME"], !data.isEmpty { return data + "/switchboard" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.local/share/switchboard"
    }

    /// The config file to read: `SWITCHBOARD_CONFIG`, else `./switchboard.yaml`, else
    /// `$XDG_CONFIG_HOME/switchboard/config.yaml` (default `~/.config`); `nil` when none exists.
    public static func configFilePath(environment: [String: String], currentDirectory: String) throws -> String? {
        let fileManager = FileManager.default
        if let explicit = environment["SWITCHBOARD_CONFIG"], !explicit.isEmpty {
            guard fileManager.fileExists(atPath: explicit) else {
                throw ConfigurationError(
                    kind: .fileNotFound, keyPath: "", file: explicit,
                    message: "SWITCHBOARD_CONFIG names a file that does not exist")
            }
            return explicit
        }
        let local = currentDirectory + "/switchboard.yaml"
        if fileManager.fileExists(atPath: local) { return local }
        let configHome =
            environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.config"
        let user = configHome + "/switchboard/config.yaml"
        return fileManager.fileExists(atPath: user) ? user : nil
    }

    /// Reads the config file (if any) and the environment.
    public static func load(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: String = FileManager.default.currentDirectoryPath
    ) throws -> SwitchboardConfiguration {
        var configuration = SwitchboardConfiguration(dataDirectory: defaultDataDirectory(environment: environment))
        configuration.usage.ledger = .sqlite
        configuration.offline.outbox.storeKind = .sqlite
        configuration.audit = AuditConfiguration()
        if let path = try configFilePath(environment: environment, currentDirectory: currentDirectory) {
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw ConfigurationError(
                    kind: .unreadableFile, keyPath: "", file: path, message: "could not be read as UTF-8 text")
            }
            configuration = try ConfigurationFileParser(file: path, environment: environment).parse(text)
            configuration.sourceFile = path
            if environment["SWITCHBOARD_HOME"].map({ !$0.isEmpty }) == true {
                configuration.dataDirectory = defaultDataDirectory(environment: environment)
            }
        }
        try configuration.applyEnvironment(environment)
        try configuration.applyKeyStore(environment: environment)
        return configuration
    }

    /// Overlays the official SDK variables on the providers, adding a provider when its variables are set.
    mutating func applyEnvironment(_ environment: [String: String]) throws {
        func value(_ name: String) -> String? {
            guard let value = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty
            else { return nil }
            return value
        }
        for kind in ProviderKind.allCases {
            let key = kind.apiKeyVariables.lazy.compactMap(value).first
            var baseURL = value(kind.baseURLVariable)
            if kind == .ollama { baseURL = baseURL.map(OllamaConfiguration.normalizedHost) }
            let index = providers.firstIndex { $0.id == kind.defaultID }
            // Ollama is used when OLLAMA_HOST or its config says so, not because OLLAMA_API_KEY is set.
            guard (key != nil && kind != .ollama) || baseURL != nil || index != nil else { continue }
            var provider = index.map { providers[$0] } ?? ProviderConfiguration(id: kind.defaultID, kind: kind)
            if let key { provider.apiKey = APIKey(key) }
            if let baseURL {
                do {
                    _ = try BaseURL(baseURL)
                } catch let error as ProviderError {
                    throw ConfigurationError(kind: .invalidValue, keyPath: kind.baseURLVariable, message: error.message)
                }
                provider.baseURL = baseURL
            }
            if let index { providers[index] = provider } else { providers.append(provider) }
        }
        if defaultProvider == nil, let name = value("SWITCHBOARD_PROVIDER") { defaultProvider = ProviderID(name) }
        if let flag = value("SWITCHBOARD_DEBUG") { debug = !["0", "false", "no"].contains(flag.lowercased()) }
        if let text = value("SWITCHBOARD_MAX_RETRIES") {
            guard let retries = Int(text), retries >= 0 else {
                throw ConfigurationError(
                    kind: .invalidValue, keyPath: "SWITCHBOARD_MAX_RETRIES",
                    message: "'\(text)' is not a number of retries (0 or more)")
            }
            resilience.retry.maxRetries = retries
        }
    }
}

/// The wire format a configured provider speaks.
public enum ProviderKind: String, Hashable, Sendable, CaseIterable {
    case openAI = "openai"
    case anthropic
    case gemini
    case ollama

    var defaultID: ProviderID { ProviderID(rawValue) }

    /// The key variables, in the order they are read (the official SDKs' names).
    var apiKeyVariables: [String] {
        switch self {
        case .openAI: ["OPENAI_API_KEY"]
        case .anthropic: ["ANTHROPIC_API_KEY"]
        case .gemini: ["GEMINI_API_KEY", "GOOGLE_API_KEY"]
        case .ollama: ["OLLAMA_API_KEY"]
        }
    }

    var baseURLVariable: String {
        switch self {
        case .openAI: "OPENAI_BASE_URL"
        case .anthropic: "ANTHROPIC_BASE_URL"
        case .gemini: "GEMINI_BASE_URL"
        case .ollama: "OLLAMA_HOST"
        }
    }
}

/// One configured provider.
public struct ProviderConfiguration: Sendable {
    public var id: ProviderID
    public var kind: ProviderKind
    public var apiKey: APIKey?
    /// `nil` uses the provider's public endpoint.
    public var baseURL: String?
    public var defaultModel: String?
    /// OpenAI: `OpenAI-Organization`.
    public var organization: String?
    /// OpenAI: `OpenAI-Project`.
    public var project: String?
    /// OpenAI-compatible servers that want `max_tokens`.
    public var usesLegacyMaxTokens: Bool
    /// Anthropic: `max_tokens` when a request gives none.
    public var defaultMaxTokens: Int?
    /// Anthropic: the `anthropic-version` header.
    public var version: String?
    /// Whether the server runs on this machine; defaults to whether its base URL is loopback.
    public var isLocal: Bool?
    /// The embedding model when a request names none.
    public var embeddingModel: String?
    /// Ollama: options for every model.
    public var ollamaOptions: OllamaOptions
    /// Ollama: options per model.
    public var ollamaModelOptions: [String: OllamaOptions]
    /// Ollama: required models, storage quota, memory limits, update schedule.
    public var localModels: LocalModelPolicy
    /// More keys after ``apiKey``, each with a name, weight, scope and time window (see ``KeyConfiguration``).
    public var keys: [ManagedKey] = []

    public init(
        id: ProviderID,
        kind: ProviderKind,
        apiKey: APIKey? = nil,
        baseURL: String? = nil,
        defaultModel: String? = nil,
        organization: String? = nil,
        project: String? = nil,
        usesLegacyMaxTokens: Bool = false,
        defaultMaxTokens: Int? = nil,
        version: String? = nil,
        isLocal: Bool? = nil,
        embeddingModel: String? = nil,
        ollamaOptions: OllamaOptions = .init(),
        ollamaModelOptions: [String: OllamaOptions] = [:],
        localModels: LocalModelPolicy = .init()
    ) {
        self.id = id
        self.kind = kind
        self.apiKey = apiKey
        self.baseURL = baseURL
        self.defaultModel = defaultModel
        self.organization = organization
        self.project = project
        self.usesLegacyMaxTokens = usesLegacyMaxTokens
        self.defaultMaxTokens = defaultMaxTokens
        self.version = version
        self.isLocal = isLocal
        self.embeddingModel = embeddingModel
        self.ollamaOptions = ollamaOptions
        self.ollamaModelOptions = ollamaModelOptions
        self.localModels = localModels
    }

    /// Builds the adapter for this provider on `transport`.
    public func makeProvider(transport: HTTPTransport) throws -> any LanguageModelProvider {
        switch kind {
        case .openAI:
            var configuration = try OpenAIConfiguration(
                id: id, apiKey: apiKey, baseURL: baseURL ?? OpenAIConfiguration.defaultBaseURL,
                organization: organization, project: project, usesLegacyMaxTokens: usesLegacyMaxTokens)
            if let defaultModel { configuration.defaultModel = defaultModel }
            if let embeddingModel { configuration.defaultEmbeddingModel = embeddingModel }
            configuration.isLocal = isLocal ?? BaseURL.isLoopbackURL(configuration.baseURL.string)
            return OpenAIProvider(configuration: configuration, transport: transport)
        case .anthropic:
            var configuration = try AnthropicConfiguration(
                id: id, apiKey: apiKey, baseURL: baseURL ?? AnthropicConfiguration.defaultBaseURL)
            if let defaultModel { configuration.defaultModel = defaultModel }
            if let defaultMaxTokens { configuration.defaultMaxTokens = defaultMaxTokens }
            if let version { configuration.version = version }
            return AnthropicProvider(configuration: configuration, transport: transport)
        case .gemini:
            var configuration = try GeminiConfiguration(
                id: id, apiKey: apiKey, baseURL: baseURL ?? GeminiConfiguration.defaultBaseURL)
            if let defaultModel { configuration.defaultModel = defaultModel }
            if let embeddingModel { configuration.defaultEmbeddingModel = embeddingModel }
            return GeminiProvider(configuration: configuration, transport: transport)
        case .ollama:
            return OllamaProvider(configuration: try ollamaConfiguration(), transport: transport)
        }
    }

    /// The Ollama settings of this provider.
    public func ollamaConfiguration() throws -> OllamaConfiguration {
        try OllamaConfiguration(
            id: id, host: baseURL ?? OllamaConfiguration.defaultHost, apiKey: apiKey, defaultModel: defaultModel,
            defaultEmbeddingModel: embeddingModel, options: ollamaOptions, modelOptions: ollamaModelOptions)
    }
}
