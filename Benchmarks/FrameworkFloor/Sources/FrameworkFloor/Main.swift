import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1
import NIOPosix

/// Forwards `POST /v1/chat/completions` to `$OPENAI_BASE_URL/chat/completions` and answers with the
/// provider's status and body: the same server, client, executor and per-loop connection pools as
/// `switchboard serve`, with none of its work (no JSON, no pipeline, no records). Prints
/// `listening on http://127.0.0.1:PORT` once bound.
@main
enum FrameworkFloor {
    static func main() async throws {
        _ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        guard let base = ProcessInfo.processInfo.environment["OPENAI_BASE_URL"] else {
            FileHandle.standardError.write(Data("set OPENAI_BASE_URL\n".utf8))
            exit(2)
        }
        let upstream = base + "/chat/completions"
        let forwarder = Forwarder(group: .singleton)
        let router = Router()
        router.post("/v1/chat/completions") { request, _ in
            try await forwarder.forward(request, to: upstream)
        }
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                FileHandle.standardOutput.write(
                    Data("listening on http://127.0.0.1:\(channel.localAddress?.port ?? 0)\n".utf8))
            })
        try await app.runService()
    }
}

/// One AsyncHTTPClient per event loop, so a request's upstream connection lives on its own loop.
final class Forwarder: Sendable {
    private let clients: [(loop: any EventLoop, client: HTTPClient)]

    init(group: MultiThreadedEventLoopGroup) {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
        clients = group.makeIterator().map { loop in
            (loop, HTTPClient(eventLoopGroupProvider: .shared(loop), configuration: configuration))
        }
    }

    func forward(_ request: Request, to url: String) async throws -> Response {
        let body = try await request.body.collect(upTo: 1 << 20)
        var headers = HTTPHeaders()
        headers.add(name: "content-type", value: "application/json")
        if let authorization = request.headers[.authorization] {
            headers.add(name: "authorization", value: authorization)
        }
        let outbound = try HTTPClient.Request(url: url, method: .POST, headers: headers, body: .byteBuffer(body))
        let current = MultiThreadedEventLoopGroup.currentEventLoop
        let client = clients.first { $0.loop === current }?.client ?? clients[0].client
        let task = client.execute(
            request: outbound, delegate: ResponseAccumulator(request: outbound), deadline: .now() + .seconds(30))
        let response = try await task.futureResult.get()
        return Response(
            status: .init(code: Int(response.status.code)), headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: response.body ?? ByteBuffer()))
    }
}
