import Foundation
import Synchronization

/// Appends JSON lines to a file; when a line would take it past ``maximumBytes`` the file becomes
/// `NAME.1` (older ones `NAME.2` … up to ``retainedFiles``, the oldest deleted) and a new one starts.
///
/// The file is created with mode 0600: in debug mode it holds prompts and answers.
public final class RotatingFileRequestLogSink: RequestLogSink {
    public let path: String
    public let maximumBytes: Int64
    /// Rotated files kept besides the current one.
    public let retainedFiles: Int
    private let state: Mutex<FileHandle?>

    public init(path: String, maximumBytes: Int64 = 10 * 1024 * 1024, retainedFiles: Int = 5) {
        self.path = path
        self.maximumBytes = max(1, maximumBytes)
        self.retainedFiles = max(0, retainedFiles)
        self.state = Mutex(nil)
    }

    deinit {
        state.withLock { try? $0?.close() }
    }

    public func write(_ entry: RequestLogEntry) {
        let line = Data((entry.jsonLine() + "\n").utf8)
        state.withLock { handle in
            do {
                if handle == nil { handle = try open() }
                guard let current = handle else { return }
                let size = try current.seekToEnd()
                if size > 0, Int64(size) + Int64(line.count) > maximumBytes {
                    try current.close()
                    handle = nil
                    try rotate()
                    handle = try open()
                }
                try handle?.write(contentsOf: line)
            } catch {
                // A log that cannot be written must not fail the request it describes.
                try? handle?.close()
                handle = nil
            }
        }
    }

    private func open() throws -> FileHandle {
        let manager = FileManager.default
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try manager.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        if !manager.fileExists(atPath: path) {
            guard manager.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteUnknown)
            }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { throw CocoaError(.fileWriteNoPermission) }
        return handle
    }

    private func rotate() throws {
        let manager = FileManager.default
        guard retainedFiles > 0 else {
            try manager.removeItem(atPath: path)
            return
        }
        let oldest = "\(path).\(retainedFiles)"
        if manager.fileExists(atPath: oldest) { try manager.removeItem(atPath: oldest) }
        for index in stride(from: retainedFiles - 1, through: 1, by: -1) {
            let from = "\(path).\(index)"
            if manager.fileExists(atPath: from) { try manager.moveItem(atPath: from, toPath: "\(path).\(index + 1)") }
        }
        try manager.moveItem(atPath: path, toPath: "\(path).1")
    }
}
