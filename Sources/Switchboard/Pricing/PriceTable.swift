import Foundation

/// Prices per model as data: the bundled table (wire reference §6, each row with its source and
/// date) overlaid with the configuration's rows.
///
/// Lookup order for a provider and model: a row for that provider and exactly that model, a row
/// for any provider and that model, then the same for the longest listed model the id is a dated
/// snapshot of (`gpt-4o-2024-08-06` → `gpt-4o`). Bundled rows apply to any provider (an
/// OpenAI-compatible gateway serving `gpt-4o` is priced as `gpt-4o`); configured rows may name one. A model served by a local provider without a row
/// costs ``localPrice`` (free unless configured). Anything else is unknown: `nil`, never zero.
public struct PriceTable: Sendable {
    public private(set) var rows: [ModelPrice]
    /// The price of models on local providers (Ollama, loopback servers) that have no row; `nil`
    /// makes them unknown like any other.
    public var localPrice: ModelPrice?

    public init(rows: [ModelPrice] = [], localPrice: ModelPrice? = .free()) {
        self.rows = rows
        self.localPrice = localPrice
    }

    /// The table shipped with Switchboard (`Pricing/prices.json`).
    public static let bundled: PriceTable = {
        do {
            return try PriceTable.loadBundled()
        } catch {
            preconditionFailure("the bundled price table does not decode: \(error)")
        }
    }()

    /// Decodes the bundled `prices.json`.
    static func loadBundled() throws -> PriceTable {
        guard let url = Bundle.module.url(forResource: "prices", withExtension: "json") else {
            throw PriceTableError(message: "prices.json is missing from the Switchboard bundle")
        }
        return try PriceTable(json: try Data(contentsOf: url))
    }

    /// Decodes a table in the bundled file's format: `{"models": [{"model", "provider", "input", …}]}`,
    /// prices as decimal strings per million tokens.
    public init(json: Data) throws {
        let file = try JSONDecoder().decode(PriceFile.self, from: json)
        self.init(rows: try file.models.map { try $0.price() })
    }

    /// This table with `overrides` replacing rows for the same provider and model, and added otherwise.
    public func overlaid(with overrides: [ModelPrice]) -> PriceTable {
        var table = self
        for row in overrides {
            table.rows.removeAll { $0.model == row.model && $0.provider == row.provider }
            table.rows.append(row)
        }
        return table
    }

    /// The price of `model` at `provider`, or `nil` when it is unknown.
    public func price(provider: ProviderID, model: String, isLocal: Bool = false) -> ModelPrice? {
        if let row = exact(provider: provider, model: model) { return row }
        let snapshotOf =
            rows
            .filter { ($0.provider == nil || $0.provider == provider) && Self.isSnapshot(model, of: $0.model) }
            .max { $0.model.count < $1.model.count }
        if let snapshotOf { return exact(provider: provider, model: snapshotOf.model) ?? snapshotOf }
        return isLocal ? localPrice : nil
    }

    private func exact(provider: ProviderID, model: String) -> ModelPrice? {
        rows.last { $0.provider == provider && $0.model == model }
            ?? rows.last { $0.provider == nil && $0.model == model }
    }

    /// Whether `id` is `base` plus a snapshot suffix: a date (`-20250514`, `-2024-08-06`), a
    /// four-digit release (`-0125`), a version (`-001`) or `-latest`.
    static func isSnapshot(_ id: String, of base: String) -> Bool {
        guard id.count > base.count + 1, id.hasPrefix(base + "-") else { return false }
        let suffix = id.dropFirst(base.count + 1)
        if suffix == "latest" { return true }
        let digits = suffix.filter(\.isNumber)
        guard suffix.allSatisfy({ $0.isNumber || $0 == "-" }) else { return false }
        if suffix.contains("-") { return digits.count == 8 && suffix.count == 10 }
        return digits.count == 8 || digits.count == 4 || digits.count == 3
    }
}

/// The bundled or a given price table could not be read.
public struct PriceTableError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

private struct PriceFile: Decodable {
    struct Row: Decodable {
        struct Tier: Decodable {
            var aboveInputTokens: Int
            var input: String?
            var cachedInput: String?
            var output: String?

            enum CodingKeys: String, CodingKey {
                case aboveInputTokens = "above_input_tokens"
                case input
                case cachedInput = "cached_input"
                case output
            }
        }

        /// Who sells the model; informational (bundled rows apply to any provider).
        var vendor: String?
        var provider: String?
        var model: String
        var input: String
        var cachedInput: String?
        var cacheWrite: String?
        var cacheWriteLongLived: String?
        var output: String?
        var reasoning: String?
        var batchDiscount: String?
        var longContext: Tier?
        var source: String
        var effective: String

        enum CodingKeys: String, CodingKey {
            case vendor, provider, model, input, output, reasoning, source, effective
            case cachedInput = "cached_input"
            case cacheWrite = "cache_write_5m"
            case cacheWriteLongLived = "cache_write_1h"
            case batchDiscount = "batch_discount"
            case longContext = "long_context"
        }

        func price() throws -> ModelPrice {
            func value(_ text: String?, _ field: String) throws -> Decimal? {
                guard let text else { return nil }
                guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")), value >= 0 else {
                    throw PriceTableError(message: "\(model).\(field): '\(text)' is not a price")
                }
                return value
            }
            return ModelPrice(
                provider: provider.map(ProviderID.init(rawValue:)), model: model,
                input: try value(input, "input") ?? 0, cachedInput: try value(cachedInput, "cached_input"),
                cacheWrite: try value(cacheWrite, "cache_write_5m"),
                cacheWriteLongLived: try value(cacheWriteLongLived, "cache_write_1h"),
                output: try value(output, "output") ?? 0, reasoning: try value(reasoning, "reasoning"),
                batchDiscount: try value(batchDiscount, "batch_discount"),
                longContext: try longContext.map {
                    ModelPrice.LongContextTier(
                        thresholdInputTokens: $0.aboveInputTokens, input: try value($0.input, "long_context.input"),
                        cachedInput: try value($0.cachedInput, "long_context.cached_input"),
                        output: try value($0.output, "long_context.output"))
                },
                source: source, effectiveDate: effective)
        }
    }

    var models: [Row]
}
