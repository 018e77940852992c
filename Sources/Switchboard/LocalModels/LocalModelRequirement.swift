/// Something a local model can do, as Ollama names it in `/api/show` (`capabilities`).
public struct LocalModelCapability: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }

    /// Chat and text generation.
    public static let completion = LocalModelCapability(rawValue: "completion")
    /// Tool (function) calls.
    public static let tools = LocalModelCapability(rawValue: "tools")
    /// Image input.
    public static let vision = LocalModelCapability(rawValue: "vision")
    /// Embeddings.
    public static let embedding = LocalModelCapability(rawValue: "embedding")
    /// Separate reasoning output.
    public static let thinking = LocalModelCapability(rawValue: "thinking")
}

/// What a task needs from a local model; ``LocalModelManager/selectModel(for:)`` picks the smallest
/// installed model that has it.
public struct LocalModelRequirement: Hashable, Sendable {
    /// Capabilities the model must all have.
    public var capabilities: Set<LocalModelCapability>
    /// The shortest acceptable context length in tokens (the model's trained maximum).
    public var minimumContextLength: Int?
    /// The largest acceptable size on disk in bytes.
    public var maximumSize: Int64?

    /// Creates a requirement.
    public init(
        capabilities: Set<LocalModelCapability> = [.completion], minimumContextLength: Int? = nil,
        maximumSize: Int64? = nil
    ) {
        self.capabilities = capabilities
        self.minimumContextLength = minimumContextLength
        self.maximumSize = maximumSize
    }
}
