import Foundation
import GRDB

/// Opens the embedded SQLite files Switchboard keeps (usage ledger, audit trail, outbox, cache) the
/// same way: folder created, WAL mode through GRDB's pool, a 5 s busy timeout so processes sharing a
/// file wait for each other, then the file's migrations.
enum SQLiteFile {
    /// - Parameters:
    ///   - ownerOnly: make the file readable by its owner only (it holds prompts or answers).
    ///   - prepare: runs on every new connection (pragmas).
    static func open(
        _ path: String, migrator: DatabaseMigrator, ownerOnly: Bool = false,
        prepare: (@Sendable (Database) throws -> Void)? = nil
    ) throws -> DatabasePool {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        if let prepare { configuration.prepareDatabase(prepare) }
        let database = try DatabasePool(path: path, configuration: configuration)
        if ownerOnly { try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path) }
        try migrator.migrate(database)
        return database
    }
}
