import Foundation
import Switchboard
import SwitchboardTesting
import Testing

/// Random fault scripts over three simulated providers: whatever happens, every request ends in a
/// response or a typed `ProviderError`, and no request is sent to a provider while its breaker is open.
@Suite struct RoutingPropertyTests {
    static let providers: [SimulatedProvider] = [.openAI, .anthropic, .ollama]

    static func randomReply(_ generator: inout SeededGenerator) -> SimulatedReply {
        switch Int.random(in: 0..<8, using: &generator) {
        case 0, 1, 2: return .text("ok")
        case 3: return .failure(status: 500)
        case 4: return .failure(status: 503)
        case 5: return .failure(status: 429, retryAfter: .milliseconds(10))
        case 6: return SimulatedReply.text("dropped").with(.dropConnection)
        default: return .failure(status: 400)
        }
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func everyRequestEndsTypedAndOpenBreakersAreRespected(seed: UInt64) async throws {
        let breaker = CircuitBreakerPolicy(consecutiveFailures: 2, cooldown: .seconds(10))
        try await RoutedDispatchTests.withHarness(retry: RetryPolicy(maxRetries: 0), breaker: breaker) { harness in
            var generator = SeededGenerator(seed: seed)
            var attempts: [RequestAttempt] = []
            for _ in 0..<25 {
                for provider in Self.providers {
                    harness.simulator.enqueue(Self.randomReply(&generator), for: provider)
                }
                if Int.random(in: 0..<4, using: &generator) == 0 { harness.clock.advance(by: .seconds(11)) }
                let stream = Bool.random(using: &generator)
                let request = RoutedDispatchTests.complex()
                do {
                    if stream {
                        var accumulator = ChatResponseAccumulator()
                        for try await event in try await harness.dispatch.stream(request, context: harness.context) {
                            accumulator.add(event)
                        }
                        attempts += try accumulator.response().attempts
                    } else {
                        attempts += try await harness.dispatch.complete(request, context: harness.context).attempts
                    }
                } catch let error as ProviderError {
                    attempts += error.attempts
                } catch {
                    Issue.record("an untyped error escaped: \(error)")
                }
            }
            for provider in Self.providers {
                let sent = harness.simulator.requests(for: provider).filter { $0.method == "POST" }.count
                let tried = attempts.filter { $0.provider.rawValue == provider.rawValue && !$0.skipped }.count
                #expect(sent == tried, "\(provider): \(sent) requests sent, \(tried) attempts made")
            }
            #expect(attempts.contains { $0.skipped }, "the scripts opened at least one breaker")
        }
    }
}
