/// How long the attempt being sent may still take, so one request's total deadline bounds the HTTP
/// call in flight, not only the gaps between attempts. The router sets it around each attempt; the
/// transport uses the shorter of it and its configured request timeout.
enum AttemptDeadline {
    @TaskLocal static var remaining: Duration?
}

extension HTTPTransport {
    /// The configured request timeout, shortened to what the current attempt has left.
    var effectiveRequestTimeout: Duration {
        guard let remaining = AttemptDeadline.remaining else { return configuration.requestTimeout }
        return min(configuration.requestTimeout, max(remaining, .milliseconds(1)))
    }
}
