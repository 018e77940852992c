import Foundation

/// A model in the simulated Ollama's local store (or in its upstream registry, for `/api/pull`).
public struct SimulatedLocalModel: Sendable, Hashable {
    /// The full name with tag, e.g. `llama3.2:latest`; a name without a tag gets `:latest`.
    public var name: String
    /// Bytes on disk.
    public var size: Int64
    /// The manifest digest: 64 lowercase hex characters.
    public var digest: String
    /// The model family, e.g. `llama` (also the `model_info` key prefix in `/api/show`).
    public var family: String
    /// The parameter count as Ollama shows it, e.g. `3.2B`.
    public var parameterSize: String
    /// The quantization level, e.g. `Q4_K_M`.
    public var quantization: String
    /// What the model can do, e.g. `["completion", "tools"]`, `["embedding"]`, `["completion", "vision"]`.
    public var capabilities: [String]
    /// The model's maximum context length in tokens.
    public var contextLength: Int
    /// When the model was last pulled or created.
    public var modifiedAt: Date

    /// Creates a model; the digest defaults to one derived from the name.
    public init(
        name: String,
        size: Int64,
        digest: String? = nil,
        family: String = "llama",
        parameterSize: String = "3.2B",
        quantization: String = "Q4_K_M",
        capabilities: [String] = ["completion", "tools"],
        contextLength: Int = 8192,
        modifiedAt: Date = Date()
    ) {
        let full = Self.normalized(name)
        self.name = full
        self.size = size
        self.digest = digest ?? SimulatorDigest.hex(of: full)
        self.family = family
        self.parameterSize = parameterSize
        self.quantization = quantization
        self.capabilities = capabilities
        self.contextLength = contextLength
        self.modifiedAt = modifiedAt
    }

    /// `name` with `:latest` appended when it has no tag (`user/model` and `host:port/model` included).
    public static func normalized(_ name: String) -> String {
        let last = name.split(separator: "/", omittingEmptySubsequences: false).last ?? Substring(name)
        return last.contains(":") ? name : name + ":latest"
    }
}
