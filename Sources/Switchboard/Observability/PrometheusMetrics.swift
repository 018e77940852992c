import Metrics
import Prometheus

/// Switchboard's metrics in the Prometheus text format, one call away.
///
/// ```swift
/// let registry = PrometheusMetrics.bootstrap()      // once, at start-up
/// // … serve `registry.emitToString()` at /metrics
/// ```
///
/// Names and labels follow the OpenTelemetry GenAI conventions with dots; Prometheus allows only
/// letters, digits, `_` and `:`, so `gen_ai.client.operation.duration` is exported as
/// `gen_ai_client_operation_duration` and the label `gen_ai.system` as `gen_ai_system`, as the
/// OpenTelemetry Prometheus exporter does.
public enum PrometheusMetrics {
    /// A swift-metrics factory writing into `registry`, with names and labels made Prometheus-safe.
    public static func makeFactory(registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.nameAndLabelSanitizer = { name, labels in
            (sanitized(name), labels.map { (sanitized($0.0), $0.1) })
        }
        return factory
    }

    /// Bootstraps swift-metrics with a Prometheus factory and returns its registry. Call once per process.
    @discardableResult
    public static func bootstrap(
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()
    )
        -> PrometheusCollectorRegistry
    {
        MetricsSystem.bootstrap(CachingMetricsFactory(wrapping: makeFactory(registry: registry)))
        return registry
    }

    /// `name` with every character Prometheus does not allow replaced by `_`.
    ///
    /// Runs for every metric handle a request creates, so ASCII names take a byte-wise path.
    public static func sanitized(_ name: String) -> String {
        func isAllowed(_ byte: UInt8, at index: Int) -> Bool {
            switch byte {
            case UInt8(ascii: "_"), UInt8(ascii: ":"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "A")...UInt8(ascii: "Z"):
                true
            case UInt8(ascii: "0")...UInt8(ascii: "9"): index > 0
            default: false
            }
        }
        if name.utf8.allSatisfy({ $0 < 0x80 }) {
            var bytes = Array(name.utf8)
            var changed = false
            for index in bytes.indices where !isAllowed(bytes[index], at: index) {
                bytes[index] = UInt8(ascii: "_")
                changed = true
            }
            return changed ? String(decoding: bytes, as: UTF8.self) : name
        }
        var result = ""
        for (index, character) in name.enumerated() {
            let allowed = character.asciiValue.map { isAllowed($0, at: index) } ?? false
            result.append(allowed ? character : "_")
        }
        return result
    }
}
