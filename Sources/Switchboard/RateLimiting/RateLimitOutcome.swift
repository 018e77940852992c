import Logging

/// How one limited request ended, applied to its limiter: headers learned, a 429 paused, the
/// permit released with the tokens really used, the estimator taught.
struct RateLimitOutcome: Sendable {
    let limiter: RateLimiter
    let permit: RateLimitPermit
    let request: ChatRequest
    let logger: Logger

    func succeeded(rateLimit: RateLimitSnapshot?, usage: Usage?) async {
        if let rateLimit { await learn(rateLimit) }
        await ended(usage: usage)
    }

    /// The request ended without an answer: a 429 pauses the resource; tokens are given back, except
    /// what a broken stream reported using (`usage`, or the error's partial usage).
    func failed(_ error: any Error, usage: Usage? = nil) async {
        let providerError = error as? ProviderError
        if let providerError, providerError.kind == .rateLimited {
            let pause = providerError.retryAfter ?? limiter.configuration.pauseWithoutRetryAfter
            do {
                try await limiter.pause(permit.key, for: pause)
            } catch {
                logger.warning("rate-limit store failed", metadata: ["error": "\(error)"])
            }
        }
        await release(usedTokens: (usage ?? providerError?.partialUsage)?.totalTokens ?? 0)
    }

    func learn(_ rateLimit: RateLimitSnapshot) async {
        do {
            try await limiter.learn(rateLimit, for: permit.key)
        } catch {
            logger.warning("rate-limit store failed", metadata: ["error": "\(error)"])
        }
    }

    /// The request finished (a stream may also have been abandoned): corrects the reservation to `usage`.
    func ended(usage: Usage?) async {
        if let usage, usage.totalInputTokens > 0 {
            limiter.estimator.observe(request, provider: permit.key.provider, actualInputTokens: usage.totalInputTokens)
        }
        await release(usedTokens: usage?.totalTokens)
    }

    private func release(usedTokens: Int?) async {
        do {
            try await limiter.release(permit, usedTokens: usedTokens)
        } catch {
            logger.warning("rate-limit store failed", metadata: ["error": "\(error)"])
        }
    }
}
