import ArgumentParser
import Switchboard

/// The documented exit codes of `switchboard`.
enum ExitStatus: Int32 {
    case success = 0
    /// An unexpected failure inside switchboard.
    case failure = 1
    /// Bad arguments or a request the library rejected before sending.
    case usage = 2
    /// No provider configured, or the configuration file is invalid.
    case notConfigured = 3
    /// The provider answered with an error (authentication, rate limit, invalid request, …).
    case providerError = 4
    /// The provider could not be reached, timed out, or a stream broke; or offline.
    case networkError = 5
    /// Interrupted by SIGINT.
    case interrupted = 130

    /// The status an error ends the command with.
    static func of(_ error: any Error) -> ExitStatus {
        switch error {
        case is ConfigurationError, is KeyStoreError: return .notConfigured
        case let error as ProviderError:
            switch error.kind {
            case .notConfigured: return .notConfigured
            case .cancelled: return .interrupted
            case .network, .timeout, .streamInterrupted, .offline: return .networkError
            case .invalidRequest where error.provider == nil, .requestTooLarge where error.provider == nil:
                return .usage
            default: return .providerError
            }
        case is CancellationError: return .interrupted
        case is UsageError: return .usage
        default: return .failure
        }
    }
}

/// A mistake in how the command was called.
struct UsageError: Error, CustomStringConvertible {
    var description: String
}
