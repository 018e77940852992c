import Synchronization

/// One taken place in a ``ConcurrencyLimiter``, given back exactly once.
///
/// A streamed response hands its slot to the response body, which gives it back when the stream ends.
final class RequestSlot: Sendable {
    private let limiter: ConcurrencyLimiter
    private let released = Atomic<Bool>(false)
    private let handedOff = Atomic<Bool>(false)

    init(limiter: ConcurrencyLimiter) {
        self.limiter = limiter
    }

    /// The response body now owns the slot; the handler must not release it.
    func handOff() { handedOff.store(true, ordering: .relaxed) }

    var isHandedOff: Bool { handedOff.load(ordering: .relaxed) }

    func release() {
        if !released.exchange(true, ordering: .relaxed) { limiter.release() }
    }
}
