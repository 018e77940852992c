import Foundation
import Logging
import Synchronization

/// Where request-log lines go.
public protocol RequestLogSink: Sendable {
    func write(_ entry: RequestLogEntry)
}

/// Writes each entry's JSON line as the message of a log record, for any swift-log handler.
public struct LoggerRequestLogSink: RequestLogSink {
    public let logger: Logger
    public let level: Logger.Level

    public init(logger: Logger, level: Logger.Level = .info) {
        self.logger = logger
        self.level = level
    }

    public func write(_ entry: RequestLogEntry) {
        logger.log(level: level, "\(entry.jsonLine())")
    }
}

/// Writes each entry's JSON line to standard error (debug mode of the command line).
public final class StandardErrorRequestLogSink: RequestLogSink {
    /// Keeps lines of concurrent requests whole.
    private let lock = Mutex(())

    public init() {}

    public func write(_ entry: RequestLogEntry) {
        let data = Data((entry.jsonLine() + "\n").utf8)
        lock.withLock { _ in FileHandle.standardError.write(data) }
    }
}
