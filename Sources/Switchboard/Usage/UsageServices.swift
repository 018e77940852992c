import Logging

/// The usage and budget parts of one ``LLMClient``: tracker, ledger writer and their stages.
struct UsageServices: Sendable {
    let tracker: UsageTracker
    let ledger: UsageLedger?
    let calculator: CostCalculator
    let recording: UsageRecordingStage
    let budgetStage: BudgetStage
    let notifier: BudgetAlertNotifier

    /// The stages to run after observation and before the caller's stages and routing.
    var stages: [any ChatMiddleware] { stages(enclosing: []) }

    /// Recording, then `inner` (the response cache), then budgets: an answer `inner` gives is recorded
    /// but reserves no budget.
    func stages(enclosing inner: [any ChatMiddleware]) -> [any ChatMiddleware] {
        [recording] + inner + [budgetStage]
    }

    init(
        configuration: UsageConfiguration, store: (any UsageStore)?, providers: [any LanguageModelProvider],
        defaultProvider: ProviderID?, routing: RoutedDispatch?, keyFingerprints: [ProviderID: String],
        transport: HTTPTransport?, logger: Logger
    ) {
        let calendar = PeriodCalendar(timeZone: configuration.timeZone)
        let calculator = CostCalculator(
            prices: configuration.prices, localProviders: Set(providers.filter(\.isLocal).map(\.id)))
        let defaultModels = Dictionary(
            providers.compactMap { provider in provider.defaultModel.map { (provider.id, $0) } }
        ) { first, _ in first }
        let budgets = configuration.budgets
        // Always there, possibly empty, so budgets can be added while running (the gateway's per-key ones);
        // the budget stage passes requests straight through while it is empty.
        let book = BudgetBook(budgets: budgets.budgets, calendar: calendar, clock: configuration.wallClock)
        let tracker = UsageTracker(calendar: calendar, clock: configuration.wallClock, budgets: book)
        let ledger = store.map {
            UsageLedger(store: $0, writeDelay: configuration.ledgerWriteDelay, logger: logger)
        }
        self.tracker = tracker
        self.ledger = ledger
        self.calculator = calculator
        recording = UsageRecordingStage(
            tracker: tracker, ledger: ledger, calculator: calculator, keyFingerprints: keyFingerprints,
            defaultModels: defaultModels)
        let notifier = BudgetAlertNotifier(
            logger: logger, callback: budgets.onAlert,
            webhook: budgets.webhookURL.map {
                WebhookNotifier(
                    url: $0, transport: transport, clock: budgets.webhookClock, jitter: budgets.webhookJitter,
                    maxAttempts: budgets.webhookMaxAttempts, logger: logger)
            })
        self.notifier = notifier
        let providerIDs = providers.map(\.id)
        // Spending already in the ledger counts against this period's budgets after a restart.
        let restored = store.map { store in
            Task {
                do {
                    try await book.restore(from: store)
                } catch {
                    logger.error(
                        "budgets could not read the ledger; they start from zero", metadata: ["error": "\(error)"])
                }
            }
        }
        budgetStage = BudgetStage(
            book: book, calculator: calculator, defaultMaxOutputTokens: budgets.defaultMaxOutputTokens,
            allowsCheaperModel: budgets.allowsCheaperModel, notifier: notifier, keyFingerprints: keyFingerprints,
            restored: restored
        ) { request in
            func resolved(_ reference: ModelReference) -> ModelReference {
                ModelReference(
                    provider: reference.provider, model: reference.model ?? defaultModels[reference.provider])
            }
            if let pinned = request.provider {
                return [resolved(ModelReference(provider: pinned, model: request.model))]
            }
            if let routing {
                guard let plan = try? routing.router.plan(for: request) else { return [] }
                return plan.candidates.map { resolved($0.reference) }
            }
            guard let provider = defaultProvider ?? providerIDs.first else { return [] }
            return [resolved(ModelReference(provider: provider, model: request.model))]
        }
    }

    /// The store for `configuration`: its own, an SQLite file, memory, or none.
    static func store(for configuration: UsageConfiguration, dataDirectory: String?) throws -> (any UsageStore)? {
        if let store = configuration.store { return store }
        switch configuration.ledger {
        case .none: return nil
        case .memory: return InMemoryUsageStore()
        case .sqlite:
            guard let path = configuration.ledgerPath ?? dataDirectory.map(SQLiteUsageStore.path(dataDirectory:)) else {
                throw ProviderError(
                    kind: .notConfigured, message: "an SQLite usage ledger needs a ledger path or a data directory")
            }
            return try SQLiteUsageStore(path: path)
        }
    }

    /// Writes every buffered ledger row and delivers queued alerts.
    func shutdown() async {
        await ledger?.shutdown()
        await notifier.shutdown()
    }
}
