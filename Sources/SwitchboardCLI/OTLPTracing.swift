import Foundation
import OTel
import ServiceLifecycle
import Tracing

/// Trace export over OTLP/HTTP (protobuf) through swift-otel, for `switchboard serve`.
enum OTLPTracing {
    /// Whether export is asked for: an endpoint given on the command line or in the standard
    /// `OTEL_EXPORTER_OTLP_ENDPOINT` / `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` variables.
    static func isRequested(endpoint: String?, environment: [String: String]) -> Bool {
        endpoint != nil || environment["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] != nil
            || environment["OTEL_EXPORTER_OTLP_ENDPOINT"] != nil
    }

    /// Bootstraps the process's tracer with an OTLP exporter and returns the service that batches and
    /// sends the spans; run it next to the server so the last spans go out at shutdown.
    ///
    /// `endpoint` is a collector's base URL (`http://collector:4318`); spans go to its `/v1/traces`.
    /// The standard `OTEL_*` variables (service name, headers, batch delay, sampler) apply on top.
    static func bootstrap(endpoint: String?) throws -> any Service {
        var configuration = OTel.Configuration.default
        configuration.serviceName = "switchboard-gateway"
        configuration.logs.enabled = false
        // Metrics stay on Prometheus at /metrics.
        configuration.metrics.enabled = false
        if let endpoint {
            let base = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
            configuration.traces.otlpExporter.endpoint = base + "/v1/traces"
        }
        let backend = try OTel.makeTracingBackend(configuration: configuration)
        InstrumentationSystem.bootstrap(backend.factory)
        return backend.service
    }
}
