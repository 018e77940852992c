/// What one response cost, by part, in exact ``Money``.
public struct Cost: Hashable, Sendable, CustomStringConvertible {
    /// Fresh input tokens.
    public var input: Money
    /// Input read from the prompt cache.
    public var cacheRead: Money
    /// Input written to the prompt cache (both lifetimes).
    public var cacheWrite: Money
    /// Output tokens, reasoning included.
    public var output: Money
    /// What the cached input would have cost at the input price, less what it did cost.
    public var cacheSavings: Money
    /// The model's price row the cost was computed from.
    public var price: ModelPrice
    /// Whether the prompt was large enough for the long-context tier.
    public var usedLongContextTier: Bool

    public init(
        input: Money = .zero, cacheRead: Money = .zero, cacheWrite: Money = .zero, output: Money = .zero,
        cacheSavings: Money = .zero, price: ModelPrice, usedLongContextTier: Bool = false
    ) {
        self.input = input
        self.cacheRead = cacheRead
        self.cacheWrite = cacheWrite
        self.output = output
        self.cacheSavings = cacheSavings
        self.price = price
        self.usedLongContextTier = usedLongContextTier
    }

    /// The whole cost.
    public var total: Money { input + cacheRead + cacheWrite + output }

    public var description: String { total.formatted() }
}
