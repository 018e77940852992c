import Foundation
import Yams

extension ConfigurationFileParser {
    /// The `pricing:` section: rows overriding or extending the bundled price table (USD per million
    /// tokens), and the price of models on local providers.
    ///
    /// ```yaml
    /// pricing:
    ///   local: { input: 0.01, output: 0.02 }     # or `local: unknown`
    ///   models:
    ///     openai/gpt-4o: { input: 2.00, cached_input: 1.00, output: 8.00 }
    ///     local-vllm/llama3.2: { input: 0.05, output: 0.10 }
    ///     my-model: { input: 1, output: 2 }       # any provider
    /// ```
    func pricing(_ node: Node) throws -> PriceTable {
        let settings = try mapping(node, path: "pricing", allowed: ["local", "models"])
        var table = PriceTable.bundled
        if let value = settings["local"] {
            if case .scalar = value, try string(value, path: "pricing.local") == "unknown" {
                table.localPrice = nil
            } else {
                table.localPrice = try price(value, model: "*", provider: nil, path: "pricing.local")
            }
        }
        if let models = settings["models"] {
            guard case .mapping(let entries) = models else {
                throw wrongType(models, path: "pricing.models", expected: "a mapping of provider/model to prices")
            }
            var rows: [ModelPrice] = []
            for (key, value) in entries {
                let name = try string(key, path: "pricing.models")
                let reference = ModelReference(name)
                let (provider, model): (ProviderID?, String) =
                    reference.model.map { (reference.provider, $0) } ?? (nil, name)
                rows.append(try price(value, model: model, provider: provider, path: "pricing.models.\(name)"))
            }
            table = table.overlaid(with: rows)
        }
        return table
    }

    private func price(_ node: Node, model: String, provider: ProviderID?, path: String) throws -> ModelPrice {
        let keys: Set<String> = [
            "input", "cached_input", "cache_write_5m", "cache_write_1h", "output", "reasoning", "batch_discount",
            "long_context", "source", "effective",
        ]
        let values = try mapping(node, path: path, allowed: keys)
        func optional(_ key: String) throws -> Decimal? {
            try values[key].map { try decimal($0, path: "\(path).\(key)") }
        }
        guard let input = try optional("input"), let output = try optional("output") else {
            throw ConfigurationError(
                kind: .invalidValue, keyPath: path, file: file, line: node.line,
                message: "a price needs at least input and output (USD per million tokens)")
        }
        var tier: ModelPrice.LongContextTier?
        if let tierNode = values["long_context"] {
            let tierPath = "\(path).long_context"
            let tierValues = try mapping(
                tierNode, path: tierPath, allowed: ["above_input_tokens", "input", "cached_input", "output"])
            guard let threshold = tierValues["above_input_tokens"] else {
                throw ConfigurationError(
                    kind: .invalidValue, keyPath: "\(tierPath).above_input_tokens", file: file, line: tierNode.line,
                    message: "a long-context tier needs above_input_tokens")
            }
            tier = ModelPrice.LongContextTier(
                thresholdInputTokens: try positiveInt(threshold, path: "\(tierPath).above_input_tokens"),
                input: try tierValues["input"].map { try decimal($0, path: "\(tierPath).input") },
                cachedInput: try tierValues["cached_input"].map { try decimal($0, path: "\(tierPath).cached_input") },
                output: try tierValues["output"].map { try decimal($0, path: "\(tierPath).output") })
        }
        return ModelPrice(
            provider: provider, model: model, input: input, cachedInput: try optional("cached_input"),
            cacheWrite: try optional("cache_write_5m"), cacheWriteLongLived: try optional("cache_write_1h"),
            output: output, reasoning: try optional("reasoning"), batchDiscount: try optional("batch_discount"),
            longContext: tier,
            source: try values["source"].map { try string($0, path: "\(path).source") } ?? "configuration (\(file))",
            effectiveDate: try values["effective"].map { try string($0, path: "\(path).effective") } ?? "")
    }
}
