/// The error kind an HTTP status means when the provider's body says nothing more specific.
enum HTTPErrorClassifier {
    static func kind(forStatus status: Int) -> ProviderError.Kind {
        switch status {
        case 400, 422: .invalidRequest
        case 401: .authentication
        case 402: .quotaExceeded
        case 403: .permissionDenied
        case 404: .notFound
        case 408: .timeout
        case 409: .server
        case 413: .requestTooLarge
        case 429: .rateLimited
        case 503, 529: .overloaded
        case 504: .timeout
        case 500...599: .server
        default: .invalidResponse
        }
    }
}
