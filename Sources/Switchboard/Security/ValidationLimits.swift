/// How large a request may be before it is refused without being sent (the `validation:` section).
public struct ValidationLimits: Hashable, Sendable {
    /// The most bytes of text, tool arguments and inline images in one request.
    public var maxPromptBytes: Int
    /// The most messages in one request.
    public var maxMessages: Int
    /// The most images in one request.
    public var maxImages: Int
    /// The most bytes of one image (its base64 data or URL).
    public var maxImageBytes: Int
    /// The most tools one request may offer.
    public var maxTools: Int

    public init(
        maxPromptBytes: Int = 32 * 1024 * 1024,
        maxMessages: Int = 10_000,
        maxImages: Int = 100,
        maxImageBytes: Int = 20 * 1024 * 1024,
        maxTools: Int = 128
    ) {
        self.maxPromptBytes = maxPromptBytes
        self.maxMessages = maxMessages
        self.maxImages = maxImages
        self.maxImageBytes = maxImageBytes
        self.maxTools = maxTools
    }
}
