import Foundation

/// The answer to an outbox entry, as stored with it.
public struct OutboxResult: Hashable, Sendable, Codable {
    /// The assistant's message: text and tool calls.
    public var message: ChatMessage
    /// Why the model stopped (``FinishReason`` raw value).
    public var finishReason: String
    public var provider: ProviderID
    /// The model that answered, as the provider names it.
    public var model: String
    public var usage: Usage?
    /// What the answer cost; `nil` when the model's price is unknown.
    public var cost: Money?
    /// The provider's request id, for support tickets.
    public var providerRequestID: String?
    /// When the answer was stored.
    public var completedAt: Date

    public init(
        message: ChatMessage, finishReason: String, provider: ProviderID, model: String, usage: Usage?,
        cost: Money?, providerRequestID: String?, completedAt: Date
    ) {
        self.message = message
        self.finishReason = finishReason
        self.provider = provider
        self.model = model
        self.usage = usage
        self.cost = cost
        self.providerRequestID = providerRequestID
        self.completedAt = completedAt
    }

    /// What is kept of `response`.
    public init(_ response: ChatResponse, completedAt: Date) {
        self.init(
            message: response.message, finishReason: response.finishReason.rawValue, provider: response.provider,
            model: response.model, usage: response.usage, cost: response.cost?.total,
            providerRequestID: response.providerRequestID, completedAt: completedAt)
    }

    /// The answer's text.
    public var text: String { message.text }

    /// The stored answer as a response (without the timings, attempts and rate limits of the send).
    public var response: ChatResponse {
        ChatResponse(
            message: message, finishReason: FinishReason(rawValue: finishReason), usage: usage, provider: provider,
            model: model, providerRequestID: providerRequestID)
    }
}
