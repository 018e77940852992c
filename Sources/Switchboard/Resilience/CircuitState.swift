/// The state of one circuit breaker.
public enum CircuitState: String, Hashable, Sendable {
    /// Requests pass; outcomes are counted.
    case closed
    /// Requests are refused until the cooldown has passed.
    case open
    /// The cooldown has passed; a limited number of probe requests may test whether the target recovered.
    case halfOpen
}
