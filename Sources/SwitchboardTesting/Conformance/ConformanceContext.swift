import Logging
import Switchboard

/// What one conformance check gets: a fresh simulator and the adapter under test pointed at it.
public struct ConformanceContext: Sendable {
    public let simulator: ProviderSimulator
    public let simulated: SimulatedProvider
    public let provider: any LanguageModelProvider
    /// The key the adapter was configured with; it must never appear in an error.
    public let apiKey: String
    public let logger: Logger
    /// What this provider's wire format can express.
    public var profile: ConformanceProfile { ConformanceProfile.of(simulated) }
    let check: String

    /// Fails the check unless `condition` holds.
    public func require(
        _ condition: Bool, _ message: @autoclosure () -> String, line: UInt = #line
    ) throws {
        guard condition else { throw ConformanceFailure(check: check, message: "\(message()) (line \(line))") }
    }

    /// Runs `operation`, which must throw a ``ProviderError``, and returns that error.
    public func requireProviderError(
        _ operation: () async throws -> Void, line: UInt = #line
    ) async throws -> ProviderError {
        do {
            try await operation()
        } catch let error as ProviderError {
            return error
        } catch {
            throw ConformanceFailure(check: check, message: "expected a ProviderError, got \(error) (line \(line))")
        }
        throw ConformanceFailure(check: check, message: "expected a ProviderError, got success (line \(line))")
    }

    /// Reads a stream to its end, returning its events and the error it ended with, if any.
    public func drain(_ stream: ChatEventStream) async -> (events: [ChatEvent], error: (any Error)?) {
        var events: [ChatEvent] = []
        do {
            for try await event in stream { events.append(event) }
            return (events, nil)
        } catch {
            return (events, error)
        }
    }

    /// The body of the last request the simulator received.
    public func lastRequestBody() throws -> JSONValue {
        guard let body = simulator.requests(for: simulated).last?.json else {
            throw ConformanceFailure(check: check, message: "the simulator received no JSON request")
        }
        return body
    }
}

extension JSONValue {
    /// Whether `value` occurs anywhere inside this value (itself included).
    public func contains(_ value: JSONValue) -> Bool {
        if self == value { return true }
        switch self {
        case .array(let items): return items.contains { $0.contains(value) }
        case .object(let members): return members.values.contains { $0.contains(value) }
        default: return false
        }
    }

    /// Whether any string inside this value contains `text`.
    public func containsString(_ text: String) -> Bool {
        switch self {
        case .string(let value): return value.contains(text)
        case .array(let items): return items.contains { $0.containsString(text) }
        case .object(let members): return members.values.contains { $0.containsString(text) }
        default: return false
        }
    }
}
