/// A conformance check that did not hold, with what was expected and what happened.
public struct ConformanceFailure: Error, CustomStringConvertible, Sendable {
    public var check: String
    public var message: String

    public var description: String { "conformance check '\(check)' failed: \(message)" }
}
