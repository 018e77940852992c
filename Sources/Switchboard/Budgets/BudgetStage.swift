import Logging

/// Enforces budgets before a request is routed: reserves the request's worst-case cost (estimated
/// input tokens at the input price plus its output cap at the output price) against every budget
/// covering it, and settles the reservation to the real cost when the request ends.
///
/// When the first candidate model would not fit a hard budget and ``allowsCheaperModel`` is set,
/// the request is pinned to the first later candidate that fits. When none fits, it fails with
/// ``ProviderError/Kind/budgetExceeded`` and nothing is sent. Soft budgets let it through; alerts go
/// out as spending crosses each budget's thresholds.
public struct BudgetStage: ChatMiddleware {
    public let book: BudgetBook
    public let calculator: CostCalculator
    public let estimator: any TokenEstimator
    /// The output cap assumed for requests without `maxTokens`.
    public let defaultMaxOutputTokens: Int
    public let allowsCheaperModel: Bool
    public let notifier: BudgetAlertNotifier
    /// The provider and model a request will be sent to, in the order they would be tried.
    let candidates: @Sendable (ChatRequest) -> [ModelReference]
    let keyFingerprints: [ProviderID: String]
    /// Finishes when the book holds what the ledger already spent (see ``BudgetBook/restore(from:)``).
    let restored: Task<Void, Never>?

    public init(
        book: BudgetBook, calculator: CostCalculator, estimator: any TokenEstimator = CharacterRatioTokenEstimator(),
        defaultMaxOutputTokens: Int = 4096, allowsCheaperModel: Bool = true, notifier: BudgetAlertNotifier,
        keyFingerprints: [ProviderID: String] = [:], restored: Task<Void, Never>? = nil,
        candidates: @escaping @Sendable (ChatRequest) -> [ModelReference]
    ) {
        self.restored = restored
        self.book = book
        self.calculator = calculator
        self.estimator = estimator
        self.defaultMaxOutputTokens = defaultMaxOutputTokens
        self.allowsCheaperModel = allowsCheaperModel
        self.notifier = notifier
        self.keyFingerprints = keyFingerprints
        self.candidates = candidates
    }

    public func complete(
        _ request: ChatRequest, context: RequestContext, next: ChatHandler
    ) async throws -> ChatResponse {
        if book.isEmpty { return try await next(request, context) }
        await restored?.value
        let (admitted, reservation) = try admit(request, logger: context.logger)
        do {
            let response = try await next(admitted, context)
            settle(
                reservation,
                cost: calculator.cost(of: response.usage ?? .zero, provider: response.provider, model: response.model)?
                    .total)
            return response
        } catch {
            settle(reservation, failure: error, request: admitted)
            throw error
        }
    }

    public func stream(
        _ request: ChatRequest, context: RequestContext, next: StreamHandler
    ) async throws
        -> ChatEventStream
    {
        if book.isEmpty { return try await next(request, context) }
        await restored?.value
        let (admitted, reservation) = try admit(request, logger: context.logger)
        let stream: ChatEventStream
        do {
            stream = try await next(admitted, context)
        } catch {
            settle(reservation, failure: error, request: admitted)
            throw error
        }
        guard let reservation else { return stream }
        return stream.observed(startedAt: context.startedAt) { outcome in
            let usage = outcome.usage ?? (outcome.error as? ProviderError)?.partialUsage ?? .zero
            let provider = outcome.start?.provider ?? reservation.subject.provider
            let model = outcome.start?.model ?? reservation.subject.model
            settle(
                reservation, cost: model.flatMap { calculator.cost(of: usage, provider: provider, model: $0)?.total })
        }
    }

    /// The request to send (possibly pinned to a cheaper candidate) and its reservation; `nil` when
    /// no candidate is known (the pipeline then fails as it would without budgets).
    func admit(_ request: ChatRequest, logger: Logger) throws -> (ChatRequest, BudgetBook.Reservation?) {
        let candidates = self.candidates(request)
        guard let first = candidates.first else { return (request, nil) }
        var firstRefusal: BudgetRefusal?
        for (index, candidate) in candidates.enumerated() {
            if index > 0 && !allowsCheaperModel { break }
            let subject = BudgetSubject(
                provider: candidate.provider, model: candidate.model, feature: request.metadata.feature,
                user: request.metadata.user, component: request.metadata.component,
                keyFingerprint: keyFingerprints[candidate.provider])
            switch book.reserve(worstCase(request, candidate), for: subject) {
            case .success(let reservation):
                for overrun in reservation.softOverruns {
                    logger.warning(
                        "soft budget exceeded; request allowed",
                        metadata: [
                            "budget": "\(overrun.budget.name)", "spent_usd": "\(overrun.spent.exactDecimalString)",
                            "limit_usd": "\(overrun.budget.limit.exactDecimalString)",
                        ])
                }
                guard index > 0 else { return (request, reservation) }
                logger.notice(
                    "budget: the preferred model would not fit; using a cheaper one",
                    metadata: [
                        "preferred": "\(first)", "chosen": "\(candidate)",
                        "budget": "\(firstRefusal?.refusal.status.budget.name ?? "")",
                    ])
                var pinned = request
                pinned.provider = candidate.provider
                pinned.model = candidate.model
                return (pinned, reservation)
            case .failure(let refusal):
                firstRefusal = firstRefusal ?? refusal
            }
        }
        let message = firstRefusal?.refusal.message ?? "a budget would be exceeded"
        logger.warning("request refused by a hard budget", metadata: ["reason": "\(message)"])
        throw ProviderError(kind: .budgetExceeded, provider: first.provider, message: message)
    }

    /// The most `request` can cost at `candidate`, or `nil` when the price is unknown.
    func worstCase(_ request: ChatRequest, _ candidate: ModelReference) -> Money? {
        guard let model = candidate.model else { return nil }
        return calculator.worstCase(
            inputTokens: estimator.inputTokens(for: request, provider: candidate.provider),
            maxOutputTokens: request.maxTokens ?? defaultMaxOutputTokens, provider: candidate.provider, model: model)
    }

    private func settle(_ reservation: BudgetBook.Reservation?, cost: Money?) {
        guard let reservation else { return }
        notifier.notify(book.settle(reservation, actualCost: cost))
    }

    private func settle(_ reservation: BudgetBook.Reservation?, failure: any Error, request: ChatRequest) {
        guard let reservation else { return }
        let error = failure as? ProviderError
        let provider = error?.provider ?? reservation.subject.provider
        let model = error?.attempts.last?.model ?? reservation.subject.model
        let usage = error?.partialUsage ?? .zero
        settle(reservation, cost: model.flatMap { calculator.cost(of: usage, provider: provider, model: $0)?.total })
    }
}
