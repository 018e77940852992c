import Foundation
import Logging

/// The offline parts of one ``LLMClient``: the connectivity monitor and the outbox.
struct OfflineServices: Sendable {
    let connectivity: ConnectivityMonitor
    let outbox: Outbox

    /// What is made before the client's pipeline exists (the stage goes into it, the outbox sends through it).
    struct Parts: Sendable {
        let configuration: OfflineConfiguration
        let connectivity: ConnectivityMonitor
        let store: any OutboxStore

        /// The monitor of `providers`' external ones and the store `configuration` names (SQLite under
        /// `dataDirectory`, or in memory).
        init(
            configuration: OfflineConfiguration, providers: [any LanguageModelProvider], dataDirectory: String?,
            logger: Logger
        ) throws {
            self.configuration = configuration
            connectivity = ConnectivityMonitor(
                providers: providers, policy: configuration.connectivity, clock: configuration.clock, logger: logger)
            store = try configuration.outbox.makeStore(dataDirectory: dataDirectory)
        }

        /// The same with an outbox in memory, when the configured store could not be opened.
        init(inMemory configuration: OfflineConfiguration, providers: [any LanguageModelProvider], logger: Logger) {
            self.configuration = configuration
            connectivity = ConnectivityMonitor(
                providers: providers, policy: configuration.connectivity, clock: configuration.clock, logger: logger)
            store = InMemoryOutboxStore()
        }

        /// The pipeline's last stage, in front of `router`'s dispatch.
        func stage(router: TaskRouter) -> OfflineStage {
            OfflineStage(
                connectivity: connectivity, router: router,
                cache: configuration.servesCache ? configuration.cacheLookup : nil)
        }
    }

    /// The services of `parts`, with an outbox that sends through `complete` (the client's pipeline).
    init(parts: Parts, logger: Logger, complete: @escaping ChatHandler) {
        connectivity = parts.connectivity
        outbox = Outbox(
            store: parts.store, configuration: parts.configuration.outbox, connectivity: parts.connectivity,
            clock: parts.configuration.clock, wallClock: parts.configuration.wallClock, logger: logger
        ) { request in
            let id = RequestIDs.uuid()
            var logger = logger
            logger[metadataKey: "request_id"] = "\(id)"
            return try await complete(request, RequestContext(requestID: id, logger: logger))
        }
    }
}
