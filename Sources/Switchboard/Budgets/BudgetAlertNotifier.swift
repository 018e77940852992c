import Logging

/// Where budget alerts go: a warning log line always, a callback for library users, a webhook.
public final class BudgetAlertNotifier: Sendable {
    private let logger: Logger
    private let callback: (@Sendable (BudgetAlert) -> Void)?
    public let webhook: WebhookNotifier?

    public init(logger: Logger, callback: (@Sendable (BudgetAlert) -> Void)? = nil, webhook: WebhookNotifier? = nil) {
        self.logger = logger
        self.callback = callback
        self.webhook = webhook
    }

    /// Sends each alert everywhere; returns at once (the webhook posts in the background).
    public func notify(_ alerts: [BudgetAlert]) {
        for alert in alerts {
            logger.warning(
                "budget alert: \(alert)",
                metadata: [
                    "budget": "\(alert.budget.name)", "threshold_percent": "\(alert.threshold)",
                    "spent_usd": "\(alert.spent.exactDecimalString)",
                    "limit_usd": "\(alert.budget.limit.exactDecimalString)",
                ])
            callback?(alert)
            webhook?.send(alert)
        }
    }

    /// Waits for queued webhook deliveries.
    public func shutdown() async {
        await webhook?.shutdown()
    }
}
