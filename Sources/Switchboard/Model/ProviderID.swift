/// Names a provider: one of the four built in, or any name a configuration gives an
/// OpenAI- or Anthropic-compatible endpoint.
public struct ProviderID: Hashable, Sendable, Codable, RawRepresentable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public var description: String { rawValue }

    public static let openAI = ProviderID("openai")
    public static let anthropic = ProviderID("anthropic")
    public static let gemini = ProviderID("gemini")
    public static let ollama = ProviderID("ollama")
}
