/// Why an outbox entry's last send failed, as stored with it.
public struct OutboxFailure: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The ``ProviderError/Kind`` as text (`rateLimited`, `server`, …), or `error` for another error.
    public var kind: String
    /// What happened; safe to print (the provider's message with secrets removed).
    public var message: String

    public init(kind: String, message: String) {
        self.kind = kind
        self.message = message
    }

    /// The failure an error stands for.
    public init(_ error: any Error) {
        if let error = error as? ProviderError {
            self.init(kind: error.kind.description, message: error.description)
        } else {
            self.init(kind: "error", message: SecretRedactor.redactPatterns(in: "\(error)"))
        }
    }

    public var description: String { message }
}
