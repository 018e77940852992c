import ArgumentParser
import Foundation
import Logging
import Switchboard

/// `switchboard cache`: what the response cache holds, and removing entries from it.
struct CacheCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "Show or clear the response, semantic and embedding caches.",
        discussion: """
            Reads the cache file named by cache.path, else <data directory>/cache.sqlite (SWITCHBOARD_HOME).
            """,
        subcommands: [CacheStats.self, CacheClear.self])
}

/// `switchboard cache stats`.
struct CacheStats: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Entries, hits and embeddings in the cache; hits and savings in the ledger.")

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let environment = CommandEnvironment(verbose: global.verbose)
        let configuration = try environment.loadConfiguration()
        let cache = try CacheFile(configuration: configuration, logger: environment.logger).open()
        let statistics = try await cache?.statistics() ?? ResponseCacheStatistics()
        let ledger = try await LedgerHits(configuration: configuration)
        let output = environment.output
        if json {
            let models = statistics.models.map { count -> JSONValue in
                [
                    "provider": .string(count.provider.rawValue), "model": .string(count.model),
                    "entries": .integer(count.entries), "hits": .integer(count.hits),
                ]
            }
            let object: JSONValue = [
                "entries": .integer(statistics.entries), "expired_entries": .integer(statistics.expiredEntries),
                "semantic_entries": .integer(statistics.semanticEntries), "hits": .integer(statistics.hits),
                "embeddings": .integer(statistics.embeddings), "models": .array(models),
                "ledger_hits": .integer(ledger.hits), "ledger_saved_usd": .string(ledger.saved.exactDecimalString),
            ]
            output.write(object.jsonString() + "\n")
            return
        }
        var text = "entries     \(statistics.entries)"
        text += " (\(statistics.semanticEntries) semantic, \(statistics.expiredEntries) expired)\n"
        text += "hits        \(statistics.hits)\n"
        text += "embeddings  \(statistics.embeddings)\n"
        text +=
            "ledger      \(ledger.hits) hit\(ledger.hits == 1 ? "" : "s") recorded, \(ledger.saved.formatted()) saved\n"
        if !statistics.models.isEmpty {
            let rows =
                [["PROVIDER", "MODEL", "ENTRIES", "HITS"]]
                + statistics.models.map { [$0.provider.rawValue, $0.model, "\($0.entries)", "\($0.hits)"] }
            let widths = (0..<4).map { column in rows.map { $0[column].count }.max() ?? 0 }
            text += "\n"
            for row in rows {
                text +=
                    row.enumerated().map { index, cell in
                        index == 3 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
                    }.joined(separator: "  ") + "\n"
            }
        }
        output.write(text)
    }
}

/// `switchboard cache clear [--model …] [--provider …] [--tag …] [--scope …] [--expired]`.
struct CacheClear: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clear", abstract: "Remove cached answers: all, or those matching every filter given.",
        discussion: """
            --model matches the answering or the requested model (llama3.2 and llama3.2:latest alike) and \
            also drops that model's cached embeddings; --scope takes a scope component such as \
            feature=search or key=k_123.
            """)

    @Option(name: .long, help: "Only entries of this model.")
    var model: String?

    @Option(name: .long, help: "Only entries answered by this provider.")
    var provider: String?

    @Option(name: .long, help: "Only entries stored with this tag.")
    var tag: String?

    @Option(name: .long, help: "Only entries whose scope has this component, like feature=search.")
    var scope: String?

    @Flag(name: .long, help: "Only expired entries.")
    var expired = false

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let environment = CommandEnvironment(verbose: global.verbose)
        let configuration = try environment.loadConfiguration()
        guard let cache = try CacheFile(configuration: configuration, logger: environment.logger).open() else {
            environment.output.write("removed 0 cached answers (there is no cache yet)\n")
            return
        }
        var invalidation = model.map { CacheInvalidation.model($0) } ?? CacheInvalidation()
        invalidation.provider = provider.map { ProviderID($0) }
        invalidation.tag = tag
        invalidation.scope = scope
        if expired { invalidation.expiredAt = configuration.cache?.wallClock.now ?? Date() }
        let removed = try await cache.invalidate(invalidation)
        await cache.flush()
        environment.output.write("removed \(removed) cached answer\(removed == 1 ? "" : "s") (\(invalidation))\n")
    }
}

/// The cache file of a configuration, opened without providers (no lookups, no embedding).
struct CacheFile {
    let configuration: SwitchboardConfiguration
    let logger: Logger

    var path: String {
        configuration.cache?.path ?? SQLiteCacheStore.path(dataDirectory: configuration.dataDirectory)
    }

    /// The cache, or `nil` when its file does not exist yet.
    func open() throws -> ResponseCache? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let store = try SQLiteCacheStore(path: path)
        return ResponseCache(
            configuration: configuration.cache ?? ResponseCacheConfiguration(store: .sqlite), store: store,
            embeddings: EmbeddingCache(store: store), logger: logger)
    }
}

/// Requests the usage ledger records as answered from the response cache, and what they saved.
struct LedgerHits {
    var hits = 0
    var saved = Money.zero

    init(configuration: SwitchboardConfiguration) async throws {
        let path = configuration.usage.ledgerPath ?? SQLiteUsageStore.path(dataDirectory: configuration.dataDirectory)
        guard FileManager.default.fileExists(atPath: path) else { return }
        for record in try await SQLiteUsageStore(path: path).records(since: nil, until: nil) where record.cacheHit {
            hits += 1
            saved += record.responseCacheSavings ?? .zero
        }
    }
}
