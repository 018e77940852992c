/// One piece of sensitive data found in a request.
///
/// A finding never holds the value it found, so it is safe to log, to put into an error message or
/// to show a user as the reason a request stayed on the machine.
public struct SensitivityFinding: Hashable, Sendable {
    /// What was found.
    public var kind: SensitiveDataKind
    /// The index in ``ChatRequest/messages`` of the message it was found in.
    public var messageIndex: Int
    /// A masked excerpt, never the value itself: e.g. `"j***@e***.com"`, `"**** **** **** 4242"`.
    public var redactedExcerpt: String

    /// A finding of `kind` in message `messageIndex`; `redactedExcerpt` must not hold the value found.
    public init(kind: SensitiveDataKind, messageIndex: Int, redactedExcerpt: String) {
        self.kind = kind
        self.messageIndex = messageIndex
        self.redactedExcerpt = redactedExcerpt
    }
}
