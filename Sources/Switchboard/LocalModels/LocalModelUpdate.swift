/// The outcome of re-pulling one installed model (``LocalModelManager/update(_:)``).
public struct LocalModelUpdate: Hashable, Sendable {
    /// The model's full name (`name:tag`).
    public var model: String
    /// The manifest digest before the pull; `nil` when the model was not installed.
    public var previousDigest: String?
    /// The manifest digest after the pull.
    public var currentDigest: String?

    /// Creates an outcome.
    public init(model: String, previousDigest: String?, currentDigest: String?) {
        self.model = model
        self.previousDigest = previousDigest
        self.currentDigest = currentDigest
    }

    /// Whether the pull brought a different version.
    public var changed: Bool { previousDigest != currentDigest }
}
