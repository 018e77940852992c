/// The result of a real request, fed to ``HealthMonitor/record(_:outcome:)`` so traffic updates
/// health between probes.
public enum HealthOutcome: Sendable {
    /// The provider answered; `latency` is the time to the answer (or to the first token), if known.
    case success(latency: Duration?)
    /// The request failed with this error.
    ///
    /// A network failure (the provider could not be reached) makes it `down` at once. Errors about the
    /// request itself (invalid request, unknown model, context too long, content filtered, rate
    /// limited, cancelled, …) say nothing about the provider's health and are ignored. Any other error
    /// (server error, overload, timeout, rejected key, broken stream) counts as one failure.
    case failure(ProviderError)
}
