/// What the simulator answers to one chat, messages or embeddings request.
///
/// Queue replies with ``ProviderSimulator/enqueue(_:for:)`` or set a default with
/// ``ProviderSimulator/setDefaultReply(_:for:)``. Embeddings requests (OpenAI, Gemini, Ollama) use
/// only ``faults`` and ``headers`` of the reply they consume.
public struct SimulatedReply: Sendable {
    /// The assistant's text.
    public var text: String
    /// Tool calls the assistant makes, after the text.
    public var toolCalls: [SimulatedToolCall]
    /// The provider's raw finish reason; `nil` derives it (OpenAI `stop`/`tool_calls`, Anthropic
    /// `end_turn`/`tool_use`, Gemini `STOP`, Ollama `stop`).
    public var finishReason: String?
    /// Token counts to report.
    public var usage: SimulatedUsage
    /// The model to report; `nil` echoes the request's `model`.
    public var model: String?
    /// Characters per streamed text delta; tool arguments are split likewise. Values below 1 count as 1.
    public var chunkSize: Int
    /// Misbehaviours to inject.
    public var faults: [SimulatedFault]
    /// Extra response headers; they replace headers of the same name the simulator would send.
    public var headers: [(String, String)]
    /// Gemini only: block the prompt with this `promptFeedback.blockReason` (e.g. `SAFETY`); the
    /// response then has no `candidates`. Other providers ignore it.
    public var promptBlockReason: String?

    /// Creates a reply.
    public init(
        text: String = "",
        toolCalls: [SimulatedToolCall] = [],
        finishReason: String? = nil,
        usage: SimulatedUsage = .estimated,
        model: String? = nil,
        chunkSize: Int = 4,
        faults: [SimulatedFault] = [],
        headers: [(String, String)] = [],
        promptBlockReason: String? = nil
    ) {
        self.text = text
        self.toolCalls = toolCalls
        self.finishReason = finishReason
        self.usage = usage
        self.model = model
        self.chunkSize = chunkSize
        self.faults = faults
        self.headers = headers
        self.promptBlockReason = promptBlockReason
    }

    /// A plain text reply.
    public static func text(_ text: String, usage: SimulatedUsage = .estimated) -> SimulatedReply {
        SimulatedReply(text: text, usage: usage)
    }

    /// A reply that makes one tool call and no text.
    public static func toolCall(name: String, arguments: String, id: String? = nil) -> SimulatedReply {
        SimulatedReply(toolCalls: [SimulatedToolCall(id: id, name: name, arguments: arguments)])
    }

    /// A Gemini reply whose prompt was blocked: no `candidates`, `promptFeedback.blockReason` = `reason`.
    public static func blockedPrompt(reason: String = "SAFETY") -> SimulatedReply {
        SimulatedReply(promptBlockReason: reason)
    }

    /// An HTTP error reply in the provider's error format (see ``SimulatedFault/httpError(status:type:code:message:retryAfter:)``).
    public static func failure(
        status: Int,
        type: String? = nil,
        code: String? = nil,
        message: String? = nil,
        retryAfter: Duration? = nil
    ) -> SimulatedReply {
        SimulatedReply(
            faults: [.httpError(status: status, type: type, code: code, message: message, retryAfter: retryAfter)]
        )
    }

    /// This reply with `faults` added.
    public func with(_ faults: SimulatedFault...) -> SimulatedReply {
        var copy = self
        copy.faults += faults
        return copy
    }

    /// This reply with `headers` added.
    public func withHeaders(_ headers: [(String, String)]) -> SimulatedReply {
        var copy = self
        copy.headers += headers
        return copy
    }
}
