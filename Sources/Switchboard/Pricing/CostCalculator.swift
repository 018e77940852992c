import Foundation
import Synchronization

/// Turns normalised ``Usage`` into exact ``Cost`` with each provider's billing rules (wire
/// reference §1.3 and §6):
///
/// - ``Usage`` parts are disjoint, so cached tokens are billed once, at the cached price;
/// - cache writes cost the five-minute write price, one-hour writes the one-hour price (Anthropic);
/// - output includes reasoning, so Gemini's thinking tokens are billed as output;
/// - the long-context tier applies to the whole request when the prompt (all input tokens) is larger
///   than the tier's threshold.
///
/// A model without a price has an unknown cost: `nil`, never zero.
public struct CostCalculator: Sendable {
    public let prices: PriceTable
    /// Providers running on this machine, whose unlisted models cost ``PriceTable/localPrice``.
    public let localProviders: Set<ProviderID>

    public init(prices: PriceTable = .bundled, localProviders: Set<ProviderID> = [.ollama]) {
        self.prices = prices
        self.localProviders = localProviders
    }

    /// The price row for `model` at `provider`, or `nil` when it is unknown.
    public func price(provider: ProviderID, model: String) -> ModelPrice? {
        prices.price(provider: provider, model: model, isLocal: localProviders.contains(provider))
    }

    /// The cost of `usage`, or `nil` when the model's price is unknown.
    public func cost(of usage: Usage, provider: ProviderID, model: String, batch: Bool = false) -> Cost? {
        guard let price = price(provider: provider, model: model) else { return nil }
        return Self.cost(of: usage, price: price, batch: batch)
    }

    /// The cost of `usage` at `price`.
    public static func cost(of usage: Usage, price: ModelPrice, batch: Bool = false) -> Cost {
        let rates = Rates.of(price, promptTokens: usage.totalInputTokens, batch: batch)
        let longLived = min(max(usage.cacheWriteLongLivedTokens, 0), usage.cacheWriteTokens)
        let reasoning = min(max(usage.reasoningTokens, 0), usage.outputTokens)
        let cacheRead = rates.cachedInput.times(usage.cacheReadTokens)
        let uncachedRead = rates.input.times(usage.cacheReadTokens)
        return Cost(
            input: rates.input.times(usage.inputTokens),
            cacheRead: cacheRead,
            cacheWrite: rates.cacheWrite.times(usage.cacheWriteTokens - longLived)
                + rates.cacheWriteLongLived.times(longLived),
            output: rates.output.times(usage.outputTokens - reasoning) + rates.reasoning.times(reasoning),
            cacheSavings: max(uncachedRead - cacheRead, .zero),
            price: price, usedLongContextTier: rates.usesLongContextTier)
    }

    /// A cost of zero at the model's price (a free price when it is unknown): what an answer from the
    /// response cache costs.
    public func zeroCost(provider: ProviderID, model: String) -> Cost {
        Cost(price: price(provider: provider, model: model) ?? .free(model: model, provider: provider))
    }

    /// The most a request can cost: `inputTokens` at the input price (of the long-context tier when
    /// they exceed its threshold; requests carry no cache-control marks, so nothing is written to a
    /// cache at the dearer write price) plus `maxOutputTokens` at the dearer of the output and reasoning
    /// prices; `nil` when the price is unknown.
    public func worstCase(inputTokens: Int, maxOutputTokens: Int, provider: ProviderID, model: String) -> Money? {
        guard let price = price(provider: provider, model: model) else { return nil }
        return Self.worstCase(inputTokens: inputTokens, maxOutputTokens: maxOutputTokens, price: price)
    }

    /// The most a request can cost at `price`; see ``worstCase(inputTokens:maxOutputTokens:provider:model:)``.
    public static func worstCase(inputTokens: Int, maxOutputTokens: Int, price: ModelPrice) -> Money {
        let rates = Rates.of(price, promptTokens: inputTokens, batch: false)
        return rates.input.times(max(inputTokens, 0))
            + max(rates.output, rates.reasoning).times(max(maxOutputTokens, 0))
    }
}

/// Per-token prices in picodollars for one request.
private struct Rates: Sendable {
    private struct Key: Hashable {
        var price: ModelPrice
        var usesLongContextTier: Bool
        var batch: Bool
    }

    /// Rates already worked out: the decimal arithmetic costs more than the rest of a request's
    /// accounting, and a process sees few distinct prices. Cleared when it grows past 1,024 entries.
    private static let known = Mutex<[Key: Rates]>([:])

    static func of(_ price: ModelPrice, promptTokens: Int, batch: Bool) -> Rates {
        let key = Key(
            price: price,
            usesLongContextTier: price.longContext.map { promptTokens > $0.thresholdInputTokens } ?? false,
            batch: batch)
        if let rates = known.withLock({ $0[key] }) { return rates }
        let rates = Rates(price: price, promptTokens: promptTokens, batch: batch)
        known.withLock { known in
            if known.count >= 1024 { known.removeAll(keepingCapacity: true) }
            known[key] = rates
        }
        return rates
    }

    var input: Money
    var cachedInput: Money
    var cacheWrite: Money
    var cacheWriteLongLived: Money
    var output: Money
    var reasoning: Money
    var usesLongContextTier: Bool

    init(price: ModelPrice, promptTokens: Int, batch: Bool) {
        let tier = price.longContext.flatMap { promptTokens > $0.thresholdInputTokens ? $0 : nil }
        usesLongContextTier = tier != nil
        let factor: Decimal = batch ? 1 - (price.batchDiscount ?? 0) : 1
        func perToken(_ perMillion: Decimal) -> Money { Money(dollars: perMillion * factor / 1_000_000) }
        let inputPrice = tier?.input ?? price.input
        let outputPrice = tier?.output ?? price.output
        input = perToken(inputPrice)
        cachedInput = perToken(tier?.cachedInput ?? price.cachedInput ?? inputPrice)
        cacheWrite = perToken(price.cacheWrite ?? inputPrice)
        cacheWriteLongLived = perToken(price.cacheWriteLongLived ?? inputPrice * 2)
        output = perToken(outputPrice)
        reasoning = perToken(price.reasoning ?? outputPrice)
    }
}
