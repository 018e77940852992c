extension ChatEventStream {
    /// The same events, with the cost of the last usage seen attached to the `.finish` event.
    func costed(by calculator: CostCalculator) -> ChatEventStream {
        mapEvents((start: StreamStart?.none, usage: Usage?.none)) { seen, event in
            switch event {
            case .started(let start): seen.start = start
            case .usage(let usage): seen.usage = usage
            case .finish(var finish):
                if let start = seen.start, finish.cache?.isHit == true {
                    finish.cost = calculator.zeroCost(provider: start.provider, model: start.model)
                } else if let start = seen.start {
                    finish.cost = calculator.cost(
                        of: seen.usage ?? .zero, provider: start.provider, model: start.model)
                }
                return .finish(finish)
            case .textDelta, .toolCallDelta: break
            }
            return event
        }
    }
}
