import Metrics
import Prometheus
import Testing

@testable import Switchboard

@Suite struct CachingMetricsFactoryTests {
    @Test func theSameLabelAndDimensionsGetTheSameHandlerAndCountInOneSeries() throws {
        let registry = PrometheusCollectorRegistry()
        let factory = CachingMetricsFactory(wrapping: PrometheusMetrics.makeFactory(registry: registry))
        let first = factory.makeCounter(label: "switchboard.requests", dimensions: [("gen_ai.system", "openai")])
        let second = factory.makeCounter(label: "switchboard.requests", dimensions: [("gen_ai.system", "openai")])
        let other = factory.makeCounter(label: "switchboard.requests", dimensions: [("gen_ai.system", "gemini")])
        #expect(first === second)
        #expect(first !== other)
        first.increment(by: 1)
        second.increment(by: 2)
        other.increment(by: 5)

        let text = registry.emitToString()
        #expect(text.contains(#"switchboard_requests{gen_ai_system="openai"} 3"#))
        #expect(text.contains(#"switchboard_requests{gen_ai_system="gemini"} 5"#))
    }

    @Test func aDestroyedHandlerIsNotHandedOutAgain() {
        let registry = PrometheusCollectorRegistry()
        let factory = CachingMetricsFactory(wrapping: PrometheusMetrics.makeFactory(registry: registry))
        let timer = factory.makeTimer(label: "switchboard.attempt.duration", dimensions: [])
        factory.destroyTimer(timer)
        #expect(factory.makeTimer(label: "switchboard.attempt.duration", dimensions: []) !== timer)
        let gauge = factory.makeRecorder(label: "switchboard.circuit.state", dimensions: [], aggregate: false)
        #expect(factory.makeRecorder(label: "switchboard.circuit.state", dimensions: [], aggregate: false) === gauge)
    }
}
