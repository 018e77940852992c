import Foundation

/// A model installed on an Ollama server (`/api/tags`).
public struct OllamaInstalledModel: Hashable, Sendable {
    public var name: String
    /// Bytes on disk.
    public var size: Int64
    public var digest: String
    public var modifiedAt: Date?
    public var family: String?
    public var parameterSize: String?
    public var quantization: String?
    /// What the model can do (`completion`, `tools`, `vision`, `embedding`, `thinking`), when the server says.
    public var capabilities: [String]?

    public init(
        name: String, size: Int64, digest: String, modifiedAt: Date? = nil, family: String? = nil,
        parameterSize: String? = nil, quantization: String? = nil, capabilities: [String]? = nil
    ) {
        self.name = name
        self.size = size
        self.digest = digest
        self.modifiedAt = modifiedAt
        self.family = family
        self.parameterSize = parameterSize
        self.quantization = quantization
        self.capabilities = capabilities
    }
}

/// A model loaded in memory (`/api/ps`).
public struct OllamaLoadedModel: Hashable, Sendable {
    public var name: String
    /// Bytes in memory, of which ``vramSize`` on the GPU.
    public var size: Int64
    public var vramSize: Int64
    public var digest: String?
    /// When Ollama unloads it unless it is used again.
    public var expiresAt: Date?
    public var contextLength: Int?

    public init(
        name: String, size: Int64, vramSize: Int64, digest: String? = nil, expiresAt: Date? = nil,
        contextLength: Int? = nil
    ) {
        self.name = name
        self.size = size
        self.vramSize = vramSize
        self.digest = digest
        self.expiresAt = expiresAt
        self.contextLength = contextLength
    }
}

/// What `/api/show` says about one model.
public struct OllamaModelDetails: Hashable, Sendable {
    public var name: String
    public var family: String?
    public var parameterSize: String?
    public var quantization: String?
    /// The context length the model was trained for (`<architecture>.context_length`).
    public var contextLength: Int?
    public var capabilities: [String]
    public var modifiedAt: Date?

    public init(
        name: String, family: String? = nil, parameterSize: String? = nil, quantization: String? = nil,
        contextLength: Int? = nil, capabilities: [String] = [], modifiedAt: Date? = nil
    ) {
        self.name = name
        self.family = family
        self.parameterSize = parameterSize
        self.quantization = quantization
        self.contextLength = contextLength
        self.capabilities = capabilities
        self.modifiedAt = modifiedAt
    }
}

/// One line of `/api/pull` progress.
public struct OllamaPullProgress: Hashable, Sendable {
    /// `pulling manifest`, `pulling <digest>`, `verifying sha256 digest`, `writing manifest`, `success`, …
    public var status: String
    /// The layer this line is about, for `pulling <digest>` lines.
    public var digest: String?
    /// The layer's size in bytes.
    public var total: Int64?
    /// The layer's bytes downloaded so far.
    public var completed: Int64?

    public init(status: String, digest: String? = nil, total: Int64? = nil, completed: Int64? = nil) {
        self.status = status
        self.digest = digest
        self.total = total
        self.completed = completed
    }

    /// Whether this is the last line of a successful pull.
    public var isSuccess: Bool { status == "success" }
}
