import Logging
import Metrics

/// Writes one log line (at `debug`, as a library should), metrics and timings per request; never a
/// prompt, an answer or a secret.
///
/// Metric names follow the OpenTelemetry GenAI conventions:
/// `gen_ai.client.operation.duration` (timer), `gen_ai.client.token.usage` (recorder, by
/// `gen_ai.token.type`: input, output, cache_read), `gen_ai.server.time_to_first_token` (timer), and
/// the counters `switchboard.requests` (by `outcome`) and `switchboard.cost.nanodollars`.
public struct ObservationStage: ChatMiddleware {
    public init() {}

    public func complete(
        _ request: ChatRequest, context: RequestContext, next: ChatHandler
    ) async throws -> ChatResponse {
        do {
            let response = try await next(request, context)
            record(
                context: context, provider: response.provider.rawValue, model: response.model, usage: response.usage,
                timeToFirstToken: nil, duration: ContinuousClock.now - context.startedAt, outcome: "success",
                streamed: false, cost: response.cost)
            return response
        } catch {
            recordFailure(error, request: request, context: context, streamed: false)
            throw error
        }
    }

    public func stream(
        _ request: ChatRequest, context: RequestContext, next: StreamHandler
    ) async throws -> ChatEventStream {
        let stream: ChatEventStream
        do {
            stream = try await next(request, context)
        } catch {
            recordFailure(error, request: request, context: context, streamed: true)
            throw error
        }
        return stream.observed(startedAt: context.startedAt) { outcome in
            let result: String =
                if let error = outcome.error { Self.outcome(of: error) } else if outcome.abandoned {
                    "abandoned"
                } else {
                    "success"
                }
            record(
                context: context, provider: outcome.start?.provider.rawValue ?? request.provider?.rawValue ?? "unknown",
                model: outcome.start?.model ?? request.model ?? "unknown", usage: outcome.usage,
                timeToFirstToken: outcome.timeToFirstToken, duration: outcome.duration, outcome: result,
                streamed: true, error: outcome.error, cost: outcome.finish?.cost)
        }
    }

    private func recordFailure(_ error: any Error, request: ChatRequest, context: RequestContext, streamed: Bool) {
        let provider = (error as? ProviderError)?.provider?.rawValue ?? request.provider?.rawValue ?? "none"
        record(
            context: context, provider: provider, model: request.model ?? "default", usage: nil, timeToFirstToken: nil,
            duration: ContinuousClock.now - context.startedAt, outcome: Self.outcome(of: error), streamed: streamed,
            error: error)
    }

    static func outcome(of error: any Error) -> String {
        if let error = error as? ProviderError { return error.kind.description }
        if error is CancellationError { return "cancelled" }
        return "error"
    }

    private func record(
        context: RequestContext, provider: String, model: String, usage: Usage?, timeToFirstToken: Duration?,
        duration: Duration, outcome: String, streamed: Bool, error: (any Error)? = nil, cost: Cost? = nil
    ) {
        let dimensions = [
            ("gen_ai.operation.name", "chat"), ("gen_ai.system", provider), ("gen_ai.request.model", model),
        ]
        Counter(label: "switchboard.requests", dimensions: dimensions + [("outcome", outcome)]).increment()
        Timer(label: "gen_ai.client.operation.duration", dimensions: dimensions + [("outcome", outcome)])
            .recordNanoseconds(duration.nanoseconds)
        if let timeToFirstToken {
            Timer(label: "gen_ai.server.time_to_first_token", dimensions: dimensions)
                .recordNanoseconds(timeToFirstToken.nanoseconds)
        }
        if let usage {
            Recorder(label: "gen_ai.client.token.usage", dimensions: dimensions + [("gen_ai.token.type", "input")])
                .record(usage.totalInputTokens)
            Recorder(label: "gen_ai.client.token.usage", dimensions: dimensions + [("gen_ai.token.type", "output")])
                .record(usage.outputTokens)
            Recorder(label: "gen_ai.client.token.usage", dimensions: dimensions + [("gen_ai.token.type", "cache_read")])
                .record(usage.cacheReadTokens)
        }
        if let cost {
            // Nanodollars: whole numbers for a counter; the ledger keeps the exact picodollars.
            Counter(label: "switchboard.cost.nanodollars", dimensions: dimensions)
                .increment(by: cost.total.picodollars / 1000)
        }
        // The line's metadata costs more to build than everything above; most loggers drop it anyway.
        guard context.logger.logLevel <= .debug else { return }
        var metadata: Logger.Metadata = [
            "provider": "\(provider)", "model": "\(model)", "outcome": "\(outcome)", "streamed": "\(streamed)",
            "duration_ms": "\(duration.nanoseconds / 1_000_000)",
        ]
        if let timeToFirstToken { metadata["ttft_ms"] = "\(timeToFirstToken.nanoseconds / 1_000_000)" }
        if let usage {
            metadata["input_tokens"] = "\(usage.totalInputTokens)"
            metadata["cached_tokens"] = "\(usage.cacheReadTokens)"
            metadata["output_tokens"] = "\(usage.outputTokens)"
        }
        if let error { metadata["error"] = "\(String(describing: error))" }
        context.logger.debug("chat request", metadata: metadata)
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
