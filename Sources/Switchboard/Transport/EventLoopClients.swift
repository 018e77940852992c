import AsyncHTTPClient
import NIOCore

/// The streamed-call and whole-body-call clients of one event loop group: of a single event loop,
/// whose connections all live on it, or of a whole group sharing one pool.
///
/// A shared pool hands out whichever idle connection it has, often one on another loop, and a call
/// made on a loop then hops between two threads several times; a pool per loop keeps a call, its
/// connection and a caller that runs on that loop on one thread.
struct EventLoopClients: Sendable {
    let group: any EventLoopGroup
    let streaming: HTTPClient
    let buffered: HTTPClient
    /// The connections each client may open to one host.
    let connectionsPerHost: Int

    init(
        group: any EventLoopGroup, streaming: HTTPClient.Configuration, buffered: HTTPClient.Configuration
    ) {
        self.group = group
        self.connectionsPerHost = streaming.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit
        self.streaming = HTTPClient(eventLoopGroupProvider: .shared(group), configuration: streaming)
        self.buffered = HTTPClient(eventLoopGroupProvider: .shared(group), configuration: buffered)
    }

    func shutdown() async throws {
        var firstError: (any Error)?
        do { try await streaming.shutdown() } catch { firstError = error }
        do { try await buffered.shutdown() } catch { firstError = firstError ?? error }
        if let firstError { throw firstError }
    }

    func syncShutdown() {
        try? streaming.syncShutdown()
        try? buffered.syncShutdown()
    }
}
