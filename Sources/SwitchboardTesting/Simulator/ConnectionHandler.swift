import Logging
import NIOCore
import NIOHTTP1

/// Serves the requests of one HTTP/1.1 connection, one after another.
struct ConnectionHandler: Sendable {
    let router: SimulatorRouter
    let tracker: DisconnectTracker
    let logger: Logger

    func run(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async {
        let watch = ResponseWatch(tracker: tracker)
        // A client that goes away while a response is owed (even while the simulator sleeps) has abandoned it.
        connection.channel.closeFuture.whenComplete { _ in watch.abandon() }
        do {
            try await connection.executeThenClose { inbound, outbound in
                let writer = ResponseWriter(outbound: outbound, watch: watch) { [state = router.state] request in
                    state.recordDelivery(request)
                }
                var head: HTTPRequestHead?
                var body: [UInt8] = []
                for try await part in inbound {
                    switch part {
                    case .head(let requestHead):
                        head = requestHead
                        body = []
                    case .body(let buffer):
                        body += buffer.readableBytesView
                    case .end:
                        guard let requestHead = head else { continue }
                        head = nil
                        watch.begin()
                        let request = RecordedRequest(
                            provider: SimulatorRouter.provider(forURI: requestHead.uri),
                            method: requestHead.method.rawValue,
                            path: requestHead.uri,
                            headers: requestHead.headers.map { (name: $0.name, value: $0.value) },
                            body: body
                        )
                        let plan = router.respond(to: request)
                        let keepOpen = try await writer.write(
                            plan,
                            for: request,
                            version: requestHead.version,
                            keepAlive: requestHead.isKeepAlive
                        )
                        if !keepOpen { return }
                    }
                }
            }
        } catch {
            logger.debug("simulator connection ended", metadata: ["error": "\(error)"])
        }
    }
}
