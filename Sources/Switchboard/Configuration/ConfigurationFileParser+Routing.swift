import Foundation
import Yams

extension ConfigurationFileParser {
    /// The `routing:` section: sensitivity classification, per-task rules and prices.
    func routing(_ node: Node) throws -> RoutingConfiguration {
        let settings = try mapping(
            node, path: "routing",
            allowed: [
                "classify_sensitivity", "tasks", "prices", "context_window_fallbacks", "content_filter_fallbacks",
            ])
        var routing = RoutingConfiguration()
        if let value = settings["classify_sensitivity"] {
            routing.classifiesSensitivity = try bool(value, path: "routing.classify_sensitivity")
        }
        if let tasks = settings["tasks"] {
            guard case .mapping(let entries) = tasks else {
                throw wrongType(tasks, path: "routing.tasks", expected: "a mapping of task types to rules")
            }
            for (key, value) in entries {
                let task = TaskType(rawValue: try string(key, path: "routing.tasks"))
                let path = "routing.tasks.\(task)"
                let rule = try mapping(
                    value, path: path, allowed: ["localities", "preferred_models", "max_price", "max_latency", "order"])
                var parsed = routing.rule(for: task)
                if let node = rule["localities"] {
                    guard case .sequence(let items) = node else {
                        throw wrongType(node, path: "\(path).localities", expected: "a list")
                    }
                    parsed.localities = try items.map { item in
                        let locality: Locality = try choice(
                            item, path: "\(path).localities", what: "a locality", choices: "local or external")
                        return locality
                    }
                }
                if let node = rule["preferred_models"] {
                    guard case .sequence(let items) = node else {
                        throw wrongType(node, path: "\(path).preferred_models", expected: "a list of provider/model")
                    }
                    parsed.preferredModels = try items.map {
                        ModelReference(try string($0, path: "\(path).preferred_models"))
                    }
                }
                if let node = rule["max_price"] {
                    parsed.maxPricePerMillionTokens = try decimal(node, path: "\(path).max_price")
                }
                if let node = rule["max_latency"] {
                    parsed.maxLatency = try duration(node, path: "\(path).max_latency")
                }
                if let node = rule["order"] {
                    parsed.order = try choice(
                        node, path: "\(path).order", what: "an order", choices: "configured, latency or price")
                }
                routing.rules[task] = parsed
            }
        }
        if let prices = settings["prices"] {
            guard case .mapping(let entries) = prices else {
                throw wrongType(
                    prices, path: "routing.prices", expected: "a mapping of provider/model to USD per million tokens")
            }
            for (key, value) in entries {
                let reference = ModelReference(try string(key, path: "routing.prices"))
                routing.prices[reference] = try decimal(value, path: "routing.prices.\(reference)")
            }
        }
        if let node = settings["context_window_fallbacks"] {
            routing.contextWindowFallbacks = try fallbackTable(node, path: "routing.context_window_fallbacks")
        }
        if let node = settings["content_filter_fallbacks"] {
            routing.contentFilterFallbacks = try fallbackTable(node, path: "routing.content_filter_fallbacks")
        }
        return routing
    }

    /// `provider/model: [provider/model, …]` (a bare provider name matches all its models).
    private func fallbackTable(_ node: Node, path: String) throws -> [ModelReference: [ModelReference]] {
        guard case .mapping(let entries) = node else {
            throw wrongType(node, path: path, expected: "a mapping of provider/model to a list of provider/model")
        }
        var table: [ModelReference: [ModelReference]] = [:]
        for (key, value) in entries {
            let reference = ModelReference(try string(key, path: path))
            let entryPath = "\(path).\(reference)"
            guard case .sequence(let items) = value else {
                throw wrongType(value, path: entryPath, expected: "a list of provider/model")
            }
            table[reference] = try items.map { ModelReference(try string($0, path: entryPath)) }
        }
        return table
    }
}
