extension LLMClient {
    /// Whether the external providers can be reached: the mode now, its changes, each provider's state.
    public var connectivity: ConnectivityMonitor { offline.connectivity }

    /// The requests queued while offline, and their answers once sent.
    public var outbox: Outbox { offline.outbox }

    /// Sends `request` like ``chat(_:)``; when that fails with `offline` and the request is
    /// ``RequestMetadata/deferrable``, queues it in the ``outbox`` and returns its ticket at once.
    ///
    /// Offline, a request whose task allows a local model is answered by it (``Submission/answered(_:)``);
    /// one that needs an external provider is queued (``Submission/queued(_:)``) — or, when not
    /// deferrable, throws the ``ProviderError`` of kind `offline`, as ``chat(_:)`` does. Any other
    /// failure is thrown unchanged.
    ///
    /// ```swift
    /// var request = ChatRequest(messages: [.user("Summarise the report")], provider: .anthropic)
    /// request.metadata.deferrable = true
    /// switch try await client.submit(request) {
    /// case .answered(let response): print(response.text)
    /// case .queued(let ticket): print("offline — queued as \(ticket)")
    /// }
    /// ```
    public func submit(_ request: ChatRequest) async throws -> Submission {
        do {
            return .answered(try await chat(request))
        } catch let error as ProviderError where error.kind == .offline && request.metadata.deferrable {
            return .queued(try await outbox.enqueue(request))
        }
    }
}
