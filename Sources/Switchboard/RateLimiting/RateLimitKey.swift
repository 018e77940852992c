/// One limited resource: a provider's model used with one API key.
///
/// The key is named by a fingerprint, never by its value (see ``credentialFingerprint(_:)``).
public struct RateLimitKey: Hashable, Sendable, CustomStringConvertible {
    public var provider: ProviderID
    /// The model as the request names it, or the provider's default; `nil` when neither is known.
    public var model: String?
    /// A short hash of the API key, so two keys of one provider have separate buckets.
    public var credential: String?

    public init(provider: ProviderID, model: String?, credential: String? = nil) {
        self.provider = provider
        self.model = model
        self.credential = credential
    }

    /// `provider/model`, with `#credential` when there is one.
    public var description: String {
        "\(provider)/\(model ?? "default")" + (credential.map { "#\($0)" } ?? "")
    }

    /// Eight hex digits of the 64-bit FNV-1a hash of `key`.
    ///
    /// Not a cryptographic hash, and it need not be: it only tells keys apart in bucket names, logs
    /// and metrics. Thirty-two bits of a key that carries well over a hundred bits of randomness give
    /// nothing useful towards guessing it, and the key's own characters never appear.
    public static func credentialFingerprint(_ key: APIKey?) -> String? {
        guard let key, !key.value.isEmpty else { return nil }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.value.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash >> 32, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }
}
