import Tracing

/// `tracer`, or `nil` when there is none or it is swift-distributed-tracing's no-op tracer (nothing
/// bootstrapped). Whoever makes spans asks this once, up front, and then skips spans altogether: a span
/// nobody receives still costs its attribute strings and a task-local context switch on every request.
package func activeTracer(_ tracer: (any Tracer)?) -> (any Tracer)? {
    tracer is NoOpTracer ? nil : tracer
}
