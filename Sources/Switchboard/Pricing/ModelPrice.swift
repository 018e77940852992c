import Foundation

/// What one model costs, in US dollars per million tokens, with where the figures came from.
///
/// Optional prices fall back as the providers bill: no cached-input price means cached tokens cost
/// the input price; no cache-write price means writes cost the input price (OpenAI); no one-hour
/// write price means twice the input price (Anthropic's rule); no reasoning price means reasoning
/// costs the output price.
public struct ModelPrice: Hashable, Sendable {
    /// Higher prices for the whole request once its prompt is larger than ``thresholdInputTokens``
    /// (Gemini Pro above 200k tokens, GPT-5.4 above 272k). Unset prices keep the base price.
    public struct LongContextTier: Hashable, Sendable {
        /// The tier applies when the prompt (all input tokens, cached ones included) is larger than this.
        public var thresholdInputTokens: Int
        public var input: Decimal?
        public var cachedInput: Decimal?
        public var output: Decimal?

        public init(
            thresholdInputTokens: Int, input: Decimal? = nil, cachedInput: Decimal? = nil, output: Decimal? = nil
        ) {
            self.thresholdInputTokens = thresholdInputTokens
            self.input = input
            self.cachedInput = cachedInput
            self.output = output
        }
    }

    /// The provider the price is for; `nil` for any provider serving ``model``.
    public var provider: ProviderID?
    /// The model id; dated snapshots of it (`gpt-4o-2024-08-06`, `claude-sonnet-4-20250514`) match too.
    public var model: String
    /// Fresh input, per million tokens.
    public var input: Decimal
    /// Input read from the prompt cache.
    public var cachedInput: Decimal?
    /// Input written to the cache with the default (five-minute) lifetime.
    public var cacheWrite: Decimal?
    /// Input written to the cache with a one-hour lifetime (Anthropic).
    public var cacheWriteLongLived: Decimal?
    public var output: Decimal
    /// Reasoning tokens, where they cost other than output.
    public var reasoning: Decimal?
    /// The share taken off in a provider's batch API (`0.5` is half price).
    public var batchDiscount: Decimal?
    public var longContext: LongContextTier?
    /// Where the figures come from.
    public var source: String
    /// The day the figures took effect or were read (`2026-08-21`).
    public var effectiveDate: String

    public init(
        provider: ProviderID? = nil, model: String, input: Decimal, cachedInput: Decimal? = nil,
        cacheWrite: Decimal? = nil, cacheWriteLongLived: Decimal? = nil, output: Decimal, reasoning: Decimal? = nil,
        batchDiscount: Decimal? = nil, longContext: LongContextTier? = nil, source: String = "configuration",
        effectiveDate: String = ""
    ) {
        self.provider = provider
        self.model = model
        self.input = input
        self.cachedInput = cachedInput
        self.cacheWrite = cacheWrite
        self.cacheWriteLongLived = cacheWriteLongLived
        self.output = output
        self.reasoning = reasoning
        self.batchDiscount = batchDiscount
        self.longContext = longContext
        self.source = source
        self.effectiveDate = effectiveDate
    }

    /// A model that costs nothing, such as one running on this machine.
    public static func free(
        model: String = "*", provider: ProviderID? = nil, source: String = "local model"
    )
        -> ModelPrice
    {
        ModelPrice(provider: provider, model: model, input: 0, output: 0, source: source)
    }
}
