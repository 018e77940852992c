import NIOCore
import NIOPosix
import Testing

@testable import Switchboard

/// The transport keeps a pool of provider connections per event loop, so a call made on a loop (a
/// gateway request) stays on that loop's thread.
@Suite struct EventLoopClientsTests {
    @Test func aCallerOnAnEventLoopGetsThatLoopsClients() async throws {
        let transport = HTTPTransport(tracer: nil)
        let loops = Array(MultiThreadedEventLoopGroup.singleton.makeIterator())
        for loop in loops {
            let chosen = try await loop.submit { transport.clients.group === loop }.get()
            #expect(chosen)
        }
        try await transport.shutdown()
    }

    /// Callers off the loops (a library user's tasks) share one pool, so a connection made for one call
    /// (a TLS handshake with a provider) serves the next whichever loop it is on.
    @Test func callersOffTheLoopsShareOnePool() async throws {
        let transport = HTTPTransport(configuration: .init(maximumConnectionsPerHost: 7), tracer: nil)
        let first = transport.clients
        for _ in 0..<8 {
            let clients = await Task.detached { transport.clients }.value
            #expect(clients.buffered === first.buffered)
            #expect(clients.streaming === first.streaming)
        }
        #expect(first.group === MultiThreadedEventLoopGroup.singleton)
        #expect(first.connectionsPerHost == 7)
        try await transport.shutdown()
    }

    @Test func theConnectionLimitIsSharedOutOverTheLoops() async throws {
        let loopCount = Array(MultiThreadedEventLoopGroup.singleton.makeIterator()).count
        for limit in [1, 7, 256] {
            let transport = HTTPTransport(configuration: .init(maximumConnectionsPerHost: limit), tracer: nil)
            var total = 0
            for loop in MultiThreadedEventLoopGroup.singleton.makeIterator() {
                let clients = try await loop.submit { transport.clients }.get()
                let share = clients.connectionsPerHost
                #expect(share >= 1)
                total += share
            }
            #expect(total >= limit)
            #expect(total < limit + loopCount)
            try await transport.shutdown()
        }
    }
}
