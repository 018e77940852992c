import Foundation

/// Prices every answer and records every attempt: it sets ``ChatResponse/cost`` (and
/// ``StreamFinish/cost``), counts each request in the ``UsageTracker`` and submits one ledger row
/// per attempt to the ``UsageLedger`` — for streams when they finish, fail (with their partial
/// usage) or are abandoned. An answer from the response cache costs zero and uses no tokens; its
/// row is marked as a hit with what it saved.
final class UsageRecordingStage: ChatMiddleware {
    let tracker: UsageTracker
    let ledger: UsageLedger?
    let calculator: CostCalculator
    let keyFingerprints: [ProviderID: String]
    let defaultModels: [ProviderID: String]

    init(
        tracker: UsageTracker, ledger: UsageLedger?, calculator: CostCalculator, keyFingerprints: [ProviderID: String],
        defaultModels: [ProviderID: String]
    ) {
        self.tracker = tracker
        self.ledger = ledger
        self.calculator = calculator
        self.keyFingerprints = keyFingerprints
        self.defaultModels = defaultModels
    }

    func complete(_ request: ChatRequest, context: RequestContext, next: ChatHandler) async throws -> ChatResponse {
        let startedAt = tracker.clock.now
        do {
            var response = try await next(request, context)
            if let hit = response.cache, hit.isHit {
                response.cost = calculator.zeroCost(provider: response.provider, model: response.model)
                record(
                    Ending(
                        provider: response.provider, model: response.model, usage: .zero, cost: .zero,
                        cacheSavings: nil, latency: response.latency, timeToFirstToken: response.timeToFirstToken,
                        error: nil, attempts: [], rateLimit: nil, cacheHit: hit),
                    request: request, context: context, startedAt: startedAt, streamed: false)
                return response
            }
            response.cost = calculator.cost(
                of: response.usage ?? .zero, provider: response.provider, model: response.model)
            record(
                Ending(
                    provider: response.provider, model: response.model, usage: response.usage ?? .zero,
                    cost: response.cost?.total, cacheSavings: response.cost?.cacheSavings, latency: response.latency,
                    timeToFirstToken: response.timeToFirstToken, error: nil, attempts: response.attempts,
                    rateLimit: response.rateLimit),
                request: request, context: context, startedAt: startedAt, streamed: false)
            return response
        } catch {
            record(failure: error, request: request, context: context, startedAt: startedAt, streamed: false)
            throw error
        }
    }

    func stream(_ request: ChatRequest, context: RequestContext, next: StreamHandler) async throws -> ChatEventStream {
        let startedAt = tracker.clock.now
        let stream: ChatEventStream
        do {
            stream = try await next(request, context)
        } catch {
            record(failure: error, request: request, context: context, startedAt: startedAt, streamed: true)
            throw error
        }
        return stream.costed(by: calculator).observed(startedAt: context.startedAt) { outcome in
            let failure = outcome.error.map {
                $0 as? ProviderError ?? ProviderError(kind: .streamInterrupted, message: "\($0)")
            }
            let provider = outcome.start?.provider ?? failure?.provider ?? request.provider ?? "unknown"
            let model = outcome.start?.model ?? request.model ?? self.defaultModels[provider]
            if let hit = outcome.finish?.cache, hit.isHit, failure == nil {
                self.record(
                    Ending(
                        provider: provider, model: model, usage: .zero, cost: .zero, cacheSavings: nil,
                        latency: outcome.duration, timeToFirstToken: outcome.timeToFirstToken, error: nil,
                        attempts: [], rateLimit: nil, cacheHit: hit),
                    request: request, context: context, startedAt: startedAt, streamed: true)
                return
            }
            let usage = outcome.usage ?? failure?.partialUsage ?? .zero
            let cost = model.flatMap { self.calculator.cost(of: usage, provider: provider, model: $0) }
            var kind = failure?.kind.description
            if kind == nil, outcome.abandoned, outcome.finish == nil { kind = "abandoned" }
            self.record(
                Ending(
                    provider: provider, model: model, usage: usage, cost: cost?.total, cacheSavings: cost?.cacheSavings,
                    latency: outcome.duration, timeToFirstToken: outcome.timeToFirstToken, error: kind,
                    attempts: outcome.finish?.attempts ?? failure?.attempts ?? [], rateLimit: outcome.start?.rateLimit),
                request: request, context: context, startedAt: startedAt, streamed: true)
        }
    }

    /// How a request ended, whichever way it ran.
    private struct Ending {
        var provider: ProviderID
        var model: String?
        var usage: Usage
        var cost: Money?
        var cacheSavings: Money?
        var latency: Duration
        var timeToFirstToken: Duration?
        /// `nil` for success, else the outcome to record for the last attempt.
        var error: String?
        var attempts: [RequestAttempt]
        var rateLimit: RateLimitSnapshot?
        /// The response cache's hit, when the answer came from it.
        var cacheHit: CacheOutcome? = nil
    }

    private func record(
        failure error: any Error, request: ChatRequest, context: RequestContext, startedAt: Date, streamed: Bool
    ) {
        let providerError = error as? ProviderError
        let provider = providerError?.provider ?? request.provider ?? "unknown"
        let model = providerError?.attempts.last?.model ?? request.model ?? defaultModels[provider]
        let usage = providerError?.partialUsage ?? .zero
        let cost = model.flatMap { calculator.cost(of: usage, provider: provider, model: $0) }
        let kind = providerError?.kind.description ?? (error is CancellationError ? "cancelled" : "error")
        record(
            Ending(
                provider: provider, model: model, usage: usage, cost: cost?.total, cacheSavings: cost?.cacheSavings,
                latency: ContinuousClock.now - context.startedAt, timeToFirstToken: nil, error: kind,
                attempts: providerError?.attempts ?? [], rateLimit: nil),
            request: request, context: context, startedAt: startedAt, streamed: streamed)
    }

    private func record(
        _ ending: Ending, request: ChatRequest, context: RequestContext, startedAt: Date, streamed: Bool
    ) {
        tracker.track(
            provider: ending.provider, usage: ending.usage, cost: ending.cost, failed: ending.error != nil,
            rateLimit: ending.rateLimit)
        guard let ledger else { return }
        let attempts =
            ending.attempts.isEmpty
            ? [
                RequestAttempt(
                    provider: ending.provider, model: ending.model, error: nil, latency: ending.latency)
            ] : ending.attempts
        let prompt = Fingerprint.ofPrompt(request)
        let records = attempts.enumerated().map { index, attempt in
            let isLast = index == attempts.count - 1
            let model = attempt.model ?? defaultModels[attempt.provider]
            let usage = isLast ? ending.usage : .zero
            let cost: Money? =
                isLast
                ? ending.cost
                : model.flatMap { calculator.cost(of: .zero, provider: attempt.provider, model: $0)?.total }
            return UsageRecord(
                requestID: context.requestID, attempt: index + 1, timestamp: startedAt, provider: attempt.provider,
                model: model, keyFingerprint: attempt.keyFingerprint ?? keyFingerprints[attempt.provider],
                feature: request.metadata.feature,
                user: request.metadata.user, component: request.metadata.component,
                taskType: request.metadata.taskType?.rawValue, usage: usage, cost: cost,
                cacheSavings: isLast ? ending.cacheSavings : nil, latency: isLast ? ending.latency : attempt.latency,
                timeToFirstToken: isLast ? ending.timeToFirstToken : nil,
                outcome: isLast ? ending.error ?? attempt.outcome : attempt.outcome,
                cacheHit: isLast && ending.cacheHit != nil, promptFingerprint: prompt, streamed: streamed,
                responseCacheKind: isLast ? ending.cacheHit?.kind.rawValue : nil,
                responseCacheSavings: isLast ? ending.cacheHit?.savedCost : nil)
        }
        ledger.submit(records)
    }
}
