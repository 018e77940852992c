/// Decides whether a request holds data that must not leave the machine.
///
/// The router keeps a request with any finding on a local model. Implementations must be cheap
/// enough to run on every request and must not keep or log the values they find.
/// ``PatternSensitivityClassifier`` is the built-in one; a custom classifier (a local model, a
/// company's own identifiers) can be plugged in instead or alongside.
public protocol SensitivityClassifier: Sendable {
    /// Every piece of sensitive data in `request`, in message order; empty when none is found.
    func findings(in request: ChatRequest) -> [SensitivityFinding]
}
