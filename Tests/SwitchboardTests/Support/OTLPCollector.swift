import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// A stand-in OpenTelemetry collector on loopback: keeps the body of every `POST /v1/traces`
/// (OTLP/HTTP protobuf) so a test can look for span names and trace ids in it.
final class OTLPCollector: Sendable {
    private let bodies = Mutex<[[UInt8]]>([])

    /// Every export received so far, as raw protobuf.
    var exports: [[UInt8]] { bodies.withLock { $0 } }

    /// Whether some export contains `bytes` (a span name's UTF-8 or a trace id's 16 bytes).
    func received(_ bytes: [UInt8]) -> Bool {
        exports.contains { body in
            guard body.count >= bytes.count else { return false }
            return (0...(body.count - bytes.count)).contains { body[$0..<$0 + bytes.count].elementsEqual(bytes) }
        }
    }

    /// Runs `body` with the collector listening; passes its base URL (`http://127.0.0.1:<port>`).
    static func with<T: Sendable>(_ body: (OTLPCollector, String) async throws -> T) async throws -> T {
        let collector = OTLPCollector()
        let router = Router()
        router.post("/v1/traces") { request, _ in
            let buffer = try await request.body.collect(upTo: 16 * 1024 * 1024)
            collector.bodies.withLock { $0.append(Array(buffer.readableBytesView)) }
            return Response(status: .ok)
        }
        var logger = Logger(label: "otlp-collector")
        logger.logLevel = .warning
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var port = 0
            for await value in ports { port = value }
            let result: T
            do {
                result = try await body(collector, "http://127.0.0.1:\(port)")
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return result
        }
    }
}
