import Logging
import Synchronization

/// The secrets a ``RedactingLogHandler`` removes; shared, so keys added later are redacted too.
public final class SecretSet: Sendable {
    private let secrets: Mutex<[String]>

    public init(_ secrets: [String] = []) { self.secrets = Mutex(secrets.filter { $0.count >= 4 }) }

    /// Adds secrets to remove from now on.
    public func insert(contentsOf new: [String]) {
        secrets.withLock { secrets in
            for secret in new where secret.count >= 4 && !secrets.contains(secret) { secrets.append(secret) }
        }
    }

    /// The secrets, longest first (so a key that contains another is removed whole).
    public var all: [String] { secrets.withLock { $0 }.sorted { $0.count > $1.count } }

    /// `text` with every secret and key-shaped token replaced by ``SecretRedactor/mask``.
    public func redact(_ text: String) -> String { SecretRedactor.redact(text, secrets: all) }
}

/// A log handler that removes secrets from every message and metadata value, then hands the line
/// to the handler it wraps. ``LLMClient`` wraps its logger in one holding every configured key.
public struct RedactingLogHandler: LogHandler {
    public var wrapped: any LogHandler
    public let secrets: SecretSet
    /// Metadata set through this handler, merged into each event as it is logged rather than handed to
    /// the wrapped handler: swift-log's `StreamLogHandler` re-renders all its metadata on every change,
    /// and the client sets a request id on every request.
    private var added: Logger.Metadata = [:]

    public init(wrapping handler: any LogHandler, secrets: SecretSet) {
        self.wrapped = handler
        self.secrets = secrets
    }

    /// `logger` with its handler wrapped.
    public static func wrap(_ logger: Logger, secrets: SecretSet) -> Logger {
        guard !(logger.handler is RedactingLogHandler) else { return logger }
        var wrapped = logger
        wrapped.handler = RedactingLogHandler(wrapping: logger.handler, secrets: secrets)
        return wrapped
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { wrapped.metadataProvider }
        set { wrapped.metadataProvider = newValue }
    }

    public var metadata: Logger.Metadata {
        get { added.isEmpty ? wrapped.metadata : wrapped.metadata.merging(added) { $1 } }
        set {
            added = [:]
            wrapped.metadata = newValue
        }
    }

    public var logLevel: Logger.Level {
        get { wrapped.logLevel }
        set { wrapped.logLevel = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { added[key] ?? wrapped[metadataKey: key] }
        set {
            added[key] = newValue
            if newValue == nil, wrapped[metadataKey: key] != nil { wrapped[metadataKey: key] = nil }
        }
    }

    public func log(event: LogEvent) {
        var event = event
        event.message = Logger.Message(stringLiteral: secrets.redact(event.message.description))
        if !added.isEmpty {
            // The handler's own metadata yields to what the call site passed, as swift-log merges them.
            event.metadata = added.merging(event.metadata ?? [:]) { $1 }
        }
        event.metadata = event.metadata.map(redact)
        wrapped.log(event: event)
    }

    private func redact(_ metadata: Logger.Metadata) -> Logger.Metadata {
        metadata.mapValues(redact)
    }

    private func redact(_ value: Logger.Metadata.Value) -> Logger.Metadata.Value {
        switch value {
        case .string(let text): .string(secrets.redact(text))
        case .stringConvertible(let convertible): .string(secrets.redact(convertible.description))
        case .array(let values): .array(values.map(redact))
        case .dictionary(let values): .dictionary(redact(values))
        }
    }
}
