/// One try of one candidate for a request: what was asked of whom, and how it ended.
public struct RequestAttempt: Hashable, Sendable, CustomStringConvertible {
    public var provider: ProviderID
    public var model: String?
    /// `nil` when the attempt succeeded.
    public var error: ProviderError.Kind?
    public var latency: Duration
    /// Why this candidate was chosen, or why it was skipped.
    public var note: String?
    /// The candidate was not tried (open breaker, provider down); ``latency`` is zero.
    public var skipped: Bool
    /// The fingerprint of the API key the call used, when its provider draws from a key pool.
    public var keyFingerprint: String?

    public init(
        provider: ProviderID, model: String?, error: ProviderError.Kind?, latency: Duration, note: String? = nil,
        skipped: Bool = false, keyFingerprint: String? = nil
    ) {
        self.provider = provider
        self.model = model
        self.error = error
        self.latency = latency
        self.note = note
        self.skipped = skipped
        self.keyFingerprint = keyFingerprint
    }

    /// `success`, `skipped`, or the error kind.
    public var outcome: String { skipped ? "skipped" : error.map(\.description) ?? "success" }

    public var description: String {
        "\(provider)/\(model ?? "default"): \(outcome) in \(latency.formattedSeconds)" + (note.map { " (\($0))" } ?? "")
    }
}
