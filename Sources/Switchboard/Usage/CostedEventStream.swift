extension ChatEventStream {
    /// The same events, with the cost of the last usage seen attached to the `.finish` event.
    func costed(by calculator: CostCalculator) -> ChatEventStream {
        ChatEventStream(CostedEventSequence(base: self, calculator: calculator))
    }
}

private struct CostedEventSequence: AsyncSequence, Sendable {
    typealias Element = ChatEvent

    let base: ChatEventStream
    let calculator: CostCalculator

    func makeAsyncIterator() -> Iterator { Iterator(base: base.makeAsyncIterator(), calculator: calculator) }

    struct Iterator: AsyncIteratorProtocol {
        var base: ChatEventStream.Iterator
        let calculator: CostCalculator
        var start: StreamStart?
        var usage: Usage?

        mutating func next() async throws -> ChatEvent? {
            guard let event = try await base.next() else { return nil }
            switch event {
            case .started(let start): self.start = start
            case .usage(let usage): self.usage = usage
            case .finish(var finish):
                if let start {
                    finish.cost = calculator.cost(of: usage ?? .zero, provider: start.provider, model: start.model)
                }
                return .finish(finish)
            case .textDelta, .toolCallDelta: break
            }
            return event
        }
    }
}
