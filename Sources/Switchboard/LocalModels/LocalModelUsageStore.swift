import Foundation
import Synchronization

/// What Switchboard remembers about one local model between runs: when it last used it.
public struct LocalModelUsage: Codable, Hashable, Sendable {
    /// When Switchboard last sent the model a request.
    public var lastUsed: Date
    /// How many requests Switchboard sent it.
    public var requests: Int

    /// Creates a record.
    public init(lastUsed: Date, requests: Int = 1) {
        self.lastUsed = lastUsed
        self.requests = requests
    }
}

/// Where a ``LocalModelManager`` keeps model usage (keyed by the full model name, `name:tag`).
public protocol LocalModelUsageStore: Sendable {
    /// Every record saved so far; empty when nothing was saved.
    func load() async throws -> [String: LocalModelUsage]
    /// Replaces every record.
    func save(_ records: [String: LocalModelUsage]) async throws
}

/// Keeps usage in memory only; for tests and short-lived programs.
public final class InMemoryLocalModelUsageStore: LocalModelUsageStore {
    private let records: Mutex<[String: LocalModelUsage]>

    /// A store holding `records`.
    public init(_ records: [String: LocalModelUsage] = [:]) {
        self.records = Mutex(records)
    }

    public func load() async throws -> [String: LocalModelUsage] { records.withLock { $0 } }

    public func save(_ records: [String: LocalModelUsage]) async throws {
        self.records.withLock { $0 = records }
    }
}

/// Keeps usage in a small JSON file (by default `local-models.json` in the data directory),
/// written atomically (a temporary file renamed over the old one) and readable only by its owner
/// (mode 0600).
public struct FileLocalModelUsageStore: LocalModelUsageStore {
    /// The JSON file.
    public let path: String

    /// A store in the file at `path`; its directory is created when first saving.
    public init(path: String) {
        self.path = path
    }

    /// The store for provider `provider` in `dataDirectory`: `local-models.json` for `ollama`,
    /// `local-models-<id>.json` for another Ollama provider.
    public init(dataDirectory: String, provider: ProviderID = .ollama) {
        let name = provider == .ollama ? "local-models.json" : "local-models-\(provider.rawValue).json"
        self.init(path: (dataDirectory as NSString).appendingPathComponent(name))
    }

    private struct File: Codable {
        var version = 1
        var models: [String: LocalModelUsage]
    }

    public func load() async throws -> [String: LocalModelUsage] {
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
        return try Self.decoder.decode(File.self, from: data).models
    }

    public func save(_ records: [String: LocalModelUsage]) async throws {
        let fileManager = FileManager.default
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty, !fileManager.fileExists(atPath: directory) {
            try fileManager.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let data = try Self.encoder.encode(File(models: records))
        let temporary = path + ".\(UUID().uuidString).tmp"
        guard fileManager.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600])
        else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary])
        }
        guard rename(temporary, path) == 0 else {
            try? fileManager.removeItem(atPath: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
