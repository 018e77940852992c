import AsyncHTTPClient
import NIOCore

/// Turns transport failures into ``ProviderError``s a caller can act on.
enum TransportErrorMapping {
    static func map(_ error: any Error, provider: ProviderID, streamStarted: Bool) -> any Error {
        if let error = error as? ProviderError { return error }
        if error is CancellationError {
            return ProviderError(kind: .cancelled, provider: provider, message: "the request was cancelled")
        }
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout:
                return ProviderError(kind: .timeout, provider: provider, message: "connecting timed out")
            case .readTimeout:
                return ProviderError(
                    kind: .timeout, provider: provider, message: "the provider sent nothing within the idle timeout")
            case .deadlineExceeded:
                return ProviderError(kind: .timeout, provider: provider, message: "the request deadline passed")
            case .cancelled:
                return ProviderError(kind: .cancelled, provider: provider, message: "the request was cancelled")
            case .bodyLengthMismatch:
                return ProviderError(kind: .invalidResponse, provider: provider, message: "response body: \(error)")
            default:
                return ProviderError(
                    kind: streamStarted ? .streamInterrupted : .network, provider: provider,
                    message: "connection failed: \(error)")
            }
        }
        if error is NIOTooManyBytesError {
            return ProviderError(kind: .invalidResponse, provider: provider, message: "the response body is too large")
        }
        return ProviderError(
            kind: streamStarted ? .streamInterrupted : .network, provider: provider,
            message: "connection failed: \(String(describing: error))")
    }
}
