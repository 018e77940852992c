/// The request log as configured (`request_log:` in the YAML; `SWITCHBOARD_DEBUG=1` for debug mode).
public struct RequestLogConfiguration: Hashable, Sendable {
    /// A file to append JSON lines to; `nil` writes them to the client's logger at `info`.
    public var file: String?
    /// The size at which the file is rotated.
    public var maximumBytes: Int64
    /// Rotated files kept.
    public var retainedFiles: Int
    /// Prompts and answers in each line, secrets redacted.
    public var includesContent: Bool

    public init(
        file: String? = nil, maximumBytes: Int64 = 10 * 1024 * 1024, retainedFiles: Int = 5,
        includesContent: Bool = false
    ) {
        self.file = file
        self.maximumBytes = maximumBytes
        self.retainedFiles = retainedFiles
        self.includesContent = includesContent
    }
}
