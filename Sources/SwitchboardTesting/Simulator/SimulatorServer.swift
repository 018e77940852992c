import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// The listening socket on 127.0.0.1 and the task that serves its connections.
struct SimulatorServer: Sendable {
    let port: Int
    private let listeningChannel: any Channel
    private let serving: Task<Void, Never>

    private init(port: Int, listeningChannel: any Channel, serving: Task<Void, Never>) {
        self.port = port
        self.listeningChannel = listeningChannel
        self.serving = serving
    }

    /// Binds `port` (0: an ephemeral one) and starts serving.
    static func start(handler: ConnectionHandler, port: Int = 0) async throws -> SimulatorServer {
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                        wrappingChannelSynchronously: channel
                    )
                }
            }
        guard let port = listener.channel.localAddress?.port else {
            try await listener.channel.close()
            throw SimulatorError.noPort
        }
        let listeningChannel = listener.channel
        // The accept loop is never cancelled: it ends when the listening socket closes, after handing
        // every connection already accepted to a handler. A connection dropped unhandled would leave
        // its NIOAsyncChannel writer unfinished, which NIO treats as a programming error.
        let serving = Task.detached {
            await withDiscardingTaskGroup { group in
                do {
                    try await listener.executeThenClose { connections in
                        for try await connection in connections {
                            group.addTask { await handler.run(connection) }
                        }
                    }
                } catch {
                    handler.logger.debug("simulator listener ended", metadata: ["error": "\(error)"])
                }
                group.cancelAll()
            }
        }
        return SimulatorServer(port: port, listeningChannel: listeningChannel, serving: serving)
    }

    /// Stops accepting, ends every connection (cancelling scripted delays) and waits for all of it.
    func shutdown() async {
        try? await listeningChannel.close()
        await serving.value
    }
}

/// Why the simulator could not start.
enum SimulatorError: Error {
    /// The bound socket reported no port.
    case noPort
    /// ``ProviderSimulator/restart()`` after ``ProviderSimulator/shutdown()``.
    case shutDown
}
