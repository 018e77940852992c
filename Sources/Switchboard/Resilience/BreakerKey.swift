/// What a circuit breaker guards: one provider as a whole, or one model of a provider.
///
/// Per-model keys and the provider-level key are independent breakers; the router may consult both.
public struct BreakerKey: Hashable, Sendable, CustomStringConvertible {
    /// The provider the breaker guards.
    public var provider: ProviderID
    /// The model the breaker guards; `nil` means the provider as a whole.
    public var model: String?

    /// A key for `model` of `provider`, or for the whole provider when `model` is `nil`.
    public init(provider: ProviderID, model: String?) {
        self.provider = provider
        self.model = model
    }

    /// `openai` for a provider-level key, `openai/gpt-4o` for a model key.
    public var description: String {
        guard let model else { return provider.description }
        return "\(provider)/\(model)"
    }
}
