import AsyncHTTPClient
import NIOCore

/// The streamed-call and whole-body-call clients of one event loop, whose connections all live on it.
///
/// A shared pool hands out whichever idle connection it has, often one on the other loop, and every
/// call on it then hops between two threads several times; a pool per loop keeps a call, its
/// connection and the caller that runs on that loop on one thread.
struct EventLoopClients: Sendable {
    let eventLoop: any EventLoop
    let streaming: HTTPClient
    let buffered: HTTPClient
    /// This loop's share of ``TransportConfiguration/maximumConnectionsPerHost``, for each client.
    let connectionsPerHost: Int

    init(
        eventLoop: any EventLoop, streaming: HTTPClient.Configuration, buffered: HTTPClient.Configuration
    ) {
        self.eventLoop = eventLoop
        self.connectionsPerHost = streaming.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit
        self.streaming = HTTPClient(eventLoopGroupProvider: .shared(eventLoop), configuration: streaming)
        self.buffered = HTTPClient(eventLoopGroupProvider: .shared(eventLoop), configuration: buffered)
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
