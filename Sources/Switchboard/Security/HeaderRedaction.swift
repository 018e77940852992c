import NIOHTTP1

extension SecretRedactor {
    /// Headers whose values are credentials: replaced by ``mask`` wherever headers are shown.
    public static let sensitiveHeaders: Set<String> = [
        "authorization", "proxy-authorization", "x-api-key", "x-goog-api-key", "api-key", "cookie", "set-cookie",
    ]

    /// Whether the header `name` holds a credential (compared case-insensitively).
    public static func isSensitiveHeader(_ name: String) -> Bool { sensitiveHeaders.contains(name.lowercased()) }

    /// `headers` with the value of every credential header replaced by ``mask``.
    public static func redactHeaders(_ headers: [(name: String, value: String)]) -> [(name: String, value: String)] {
        headers.map { (name: $0.name, value: isSensitiveHeader($0.name) ? mask : $0.value) }
    }

    /// `headers` with the value of every credential header replaced by ``mask``.
    public static func redactHeaders(_ headers: HTTPHeaders) -> HTTPHeaders {
        var redacted = HTTPHeaders()
        for (name, value) in headers { redacted.add(name: name, value: isSensitiveHeader(name) ? mask : value) }
        return redacted
    }
}
