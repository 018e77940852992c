import Foundation
import Yams

extension ConfigurationFileParser {
    /// The `budgets:` section: spending limits and where their alerts go.
    ///
    /// ```yaml
    /// budgets:
    ///   allow_cheaper_model: true
    ///   default_max_output_tokens: 4096
    ///   webhook: https://hooks.example.com/switchboard
    ///   limits:
    ///     openai-daily: { scope: provider:openai, period: daily, limit: 5.00, enforcement: hard }
    ///     search: { scope: feature:search, period: monthly, limit: 50, enforcement: soft, alert_thresholds: [50, 80, 100] }
    /// ```
    func budgets(_ node: Node) throws -> BudgetConfiguration {
        let settings = try mapping(
            node, path: "budgets", allowed: ["allow_cheaper_model", "default_max_output_tokens", "webhook", "limits"])
        var budgets = BudgetConfiguration()
        if let value = settings["allow_cheaper_model"] {
            budgets.allowsCheaperModel = try bool(value, path: "budgets.allow_cheaper_model")
        }
        if let value = settings["default_max_output_tokens"] {
            budgets.defaultMaxOutputTokens = try positiveInt(value, path: "budgets.default_max_output_tokens")
        }
        if let value = settings["webhook"] {
            let url = try expandingEnvironment(
                try string(value, path: "budgets.webhook"), path: "budgets.webhook", node: value)
            guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil
            else {
                throw ConfigurationError(
                    kind: .invalidValue, keyPath: "budgets.webhook", file: file, line: value.line,
                    message: "'\(url)' is not an http or https URL")
            }
            budgets.webhookURL = url
        }
        if let limits = settings["limits"] {
            guard case .mapping(let entries) = limits else {
                throw wrongType(limits, path: "budgets.limits", expected: "a mapping of budget names to limits")
            }
            for (key, value) in entries {
                let name = try string(key, path: "budgets.limits")
                budgets.budgets.append(try budget(name: name, node: value, path: "budgets.limits.\(name)"))
            }
        }
        return budgets
    }

    private func budget(name: String, node: Node, path: String) throws -> Budget {
        let values = try mapping(
            node, path: path, allowed: ["scope", "period", "limit", "enforcement", "alert_thresholds"])
        guard let limitNode = values["limit"] else {
            throw ConfigurationError(
                kind: .invalidValue, keyPath: "\(path).limit", file: file, line: node.line,
                message: "a budget needs a limit in USD")
        }
        var budget = Budget(name: name, limit: Money(dollars: try decimal(limitNode, path: "\(path).limit")))
        if let value = values["scope"] {
            let text = try string(value, path: "\(path).scope")
            guard let scope = BudgetScope(text) else {
                throw ConfigurationError(
                    kind: .invalidValue, keyPath: "\(path).scope", file: file, line: value.line,
                    message: "'\(text)' is not a scope; use overall, provider:<id>, model:<id>, feature:<name>, "
                        + "user:<name>, component:<name> or api_key:<fingerprint>")
            }
            budget.scope = scope
        }
        if let value = values["period"] {
            budget.period = try choice(
                value, path: "\(path).period", what: "a period", choices: "daily, monthly or total")
        }
        if let value = values["enforcement"] {
            budget.enforcement = try choice(
                value, path: "\(path).enforcement", what: "an enforcement", choices: "hard or soft")
        }
        if let value = values["alert_thresholds"] {
            guard case .sequence(let items) = value else {
                throw wrongType(value, path: "\(path).alert_thresholds", expected: "a list of percentages")
            }
            budget.alertThresholds = try items.map { try positiveInt($0, path: "\(path).alert_thresholds") }.sorted()
        }
        return budget
    }
}
