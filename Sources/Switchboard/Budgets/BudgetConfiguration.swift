/// Spending limits and where their alerts go.
public struct BudgetConfiguration: Sendable {
    public var budgets: [Budget]
    /// Route to a later candidate model that fits when the first would exceed a hard budget.
    public var allowsCheaperModel: Bool
    /// The output cap assumed for a request without `maxTokens` when reserving its worst case.
    public var defaultMaxOutputTokens: Int
    /// Alerts are POSTed here as JSON.
    public var webhookURL: String?
    /// Called with every alert, on the thread that settled the request; keep it short.
    public var onAlert: (@Sendable (BudgetAlert) -> Void)?
    /// The clock and jitter of webhook retries.
    public var webhookClock: PolicyClock
    public var webhookJitter: JitterSource
    public var webhookMaxAttempts: Int

    public init(
        budgets: [Budget] = [], allowsCheaperModel: Bool = true, defaultMaxOutputTokens: Int = 4096,
        webhookURL: String? = nil, onAlert: (@Sendable (BudgetAlert) -> Void)? = nil,
        webhookClock: PolicyClock = .continuous, webhookJitter: JitterSource = .system, webhookMaxAttempts: Int = 5
    ) {
        self.budgets = budgets
        self.allowsCheaperModel = allowsCheaperModel
        self.defaultMaxOutputTokens = defaultMaxOutputTokens
        self.webhookURL = webhookURL
        self.onAlert = onAlert
        self.webhookClock = webhookClock
        self.webhookJitter = webhookJitter
        self.webhookMaxAttempts = webhookMaxAttempts
    }
}
