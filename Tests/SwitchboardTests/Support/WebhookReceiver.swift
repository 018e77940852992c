import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A tiny HTTP server on 127.0.0.1 that answers POSTs with scripted statuses (then 200) and keeps
/// the bodies it received, for testing webhook deliveries.
final class WebhookReceiver: Sendable {
    private let channel: any Channel
    private final class Script: Sendable {
        let state: Mutex<(statuses: [Int], bodies: [String])>
        init(statuses: [Int]) { state = Mutex((statuses, [])) }
    }

    private let script: Script

    var port: Int { channel.localAddress?.port ?? 0 }
    var url: String { "http://127.0.0.1:\(port)/alerts" }
    var bodies: [String] { script.state.withLock { $0.bodies } }

    init(statuses: [Int]) async throws {
        let script = Script(statuses: statuses)
        self.script = script
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(
                        Handler(respond: { body in
                            script.state.withLock { state in
                                state.bodies.append(body)
                                return state.statuses.isEmpty ? 200 : state.statuses.removeFirst()
                            }
                        }))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    func shutdown() async throws {
        try await channel.close()
    }

    private final class Handler: ChannelInboundHandler, Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let respond: @Sendable (String) -> Int
        private let body = Mutex("")

        init(respond: @escaping @Sendable (String) -> Int) { self.respond = respond }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head: body.withLock { $0 = "" }
            case .body(let buffer): body.withLock { $0 += String(buffer: buffer) }
            case .end:
                let status = respond(body.withLock { $0 })
                var headers = HTTPHeaders()
                headers.add(name: "content-length", value: "0")
                let head = HTTPResponseHead(
                    version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: headers)
                context.write(wrapOutboundOut(.head(head)), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}
