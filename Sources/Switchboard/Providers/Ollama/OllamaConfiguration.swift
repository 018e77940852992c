import Foundation

/// Runtime options Ollama applies to a model (wire reference §5.4); `nil` leaves Ollama's default.
public struct OllamaOptions: Hashable, Sendable {
    /// Context window in tokens (`num_ctx`).
    public var contextLength: Int?
    /// CPU threads (`num_thread`).
    public var threads: Int?
    /// Layers offloaded to the GPU (`num_gpu`).
    public var gpuLayers: Int?
    /// How long the model stays loaded after a request (`keep_alive`): `10m`, `1h`, `0` unloads at once,
    /// a negative value keeps it loaded.
    public var keepAlive: String?

    public init(contextLength: Int? = nil, threads: Int? = nil, gpuLayers: Int? = nil, keepAlive: String? = nil) {
        self.contextLength = contextLength
        self.threads = threads
        self.gpuLayers = gpuLayers
        self.keepAlive = keepAlive
    }

    /// These options with every value `other` sets taking precedence.
    public func merging(_ other: OllamaOptions?) -> OllamaOptions {
        guard let other else { return self }
        return OllamaOptions(
            contextLength: other.contextLength ?? contextLength, threads: other.threads ?? threads,
            gpuLayers: other.gpuLayers ?? gpuLayers, keepAlive: other.keepAlive ?? keepAlive)
    }
}

/// How to reach an Ollama server, and how to run its models.
public struct OllamaConfiguration: Sendable {
    public var id: ProviderID
    /// The server (`OLLAMA_HOST`); plain HTTP only to this machine.
    public var host: BaseURL
    /// Only for Ollama's hosted API (`OLLAMA_API_KEY`).
    public var apiKey: APIKey?
    /// The chat model when a request names none; `nil` picks the first installed chat model.
    public var defaultModel: String?
    /// The embedding model when a request names none; `nil` picks the first installed embedding model.
    public var defaultEmbeddingModel: String?
    /// Options for every model.
    public var options: OllamaOptions
    /// Options per model name, over ``options``.
    public var modelOptions: [String: OllamaOptions]

    public static let defaultHost = "http://127.0.0.1:11434"

    public init(
        id: ProviderID = .ollama,
        host: String = OllamaConfiguration.defaultHost,
        apiKey: APIKey? = nil,
        defaultModel: String? = nil,
        defaultEmbeddingModel: String? = nil,
        options: OllamaOptions = .init(),
        modelOptions: [String: OllamaOptions] = [:]
    ) throws {
        self.id = id
        self.host = try BaseURL(Self.normalizedHost(host))
        self.apiKey = apiKey
        self.defaultModel = defaultModel
        self.defaultEmbeddingModel = defaultEmbeddingModel
        self.options = options
        self.modelOptions = modelOptions
    }

    /// The options for `model`: the general ones, then the model's own (matched with or without `:latest`).
    public func options(for model: String) -> OllamaOptions {
        options.merging(
            modelOptions[model] ?? modelOptions[OllamaModelName.normalized(model)]
                ?? modelOptions[OllamaModelName.withoutLatest(model)])
    }

    /// `OLLAMA_HOST` as Ollama reads it: `host`, `host:port`, or a URL; scheme `http` and port 11434
    /// by default; `0.0.0.0` (a listen address) means this machine.
    public static func normalizedHost(_ value: String) -> String {
        var text = value.trimmingCharacters(in: .whitespaces)
        if !text.contains("://") { text = "http://" + text }
        guard var components = URLComponents(string: text) else { return text }
        if components.host == nil || components.host == "" || components.host == "0.0.0.0" {
            components.host = "127.0.0.1"
        }
        if components.port == nil && components.scheme == "http" { components.port = 11434 }
        return components.string ?? text
    }
}

/// Ollama's model naming: `name:tag`, the tag defaulting to `latest`.
public enum OllamaModelName {
    /// `llama3.2` → `llama3.2:latest`; names with a tag are unchanged.
    public static func normalized(_ name: String) -> String {
        let lastComponent = name.split(separator: "/").last.map(String.init) ?? name
        return lastComponent.contains(":") ? name : name + ":latest"
    }

    /// `llama3.2:latest` → `llama3.2`.
    public static func withoutLatest(_ name: String) -> String {
        name.hasSuffix(":latest") ? String(name.dropLast(7)) : name
    }

    /// Whether two names mean the same model.
    public static func same(_ lhs: String, _ rhs: String) -> Bool { normalized(lhs) == normalized(rhs) }
}
