import Foundation
import HTTPTypes
import Hummingbird

/// Checks the key on each request: `Authorization: Bearer <key>` (OpenAI, Ollama, Anthropic OAuth) or
/// `x-api-key: <key>` (Anthropic).
///
/// With no active virtual key and no admin key the gateway is open, which `switchboard serve` allows
/// only on a loopback address (see ``GatewayServer``).
public struct GatewayAuthenticator: Sendable {
    public let store: GatewayKeyStore?
    private let adminKeyHash: [UInt8]?

    /// - Parameters:
    ///   - store: the virtual keys; `nil` means none.
    ///   - adminKey: `SWITCHBOARD_GATEWAY_ADMIN_KEY`, kept only as its hash.
    public init(store: GatewayKeyStore?, adminKey: String?) {
        self.store = store
        self.adminKeyHash = adminKey.flatMap { $0.isEmpty ? nil : KeyHashing.sha256($0) }
    }

    /// Whether requests need a key: an admin key is set or a virtual key is active.
    public func requiresKey() throws -> Bool {
        try adminKeyHash != nil || store?.hasActiveKeys() == true
    }

    /// The caller `headers` identify, or a 401.
    func authenticate(_ headers: HTTPFields) throws -> GatewayCaller {
        // An open gateway (no admin key, no active virtual key) ignores whatever key is presented.
        guard try requiresKey() else { return .anonymous }
        guard let secret = Self.presentedKey(headers) else { throw GatewayError.missingKey }
        let presentedHash = KeyHashing.sha256(secret)
        if let adminKeyHash, KeyHashing.constantTimeEquals(presentedHash, adminKeyHash) { return .admin }
        if let key = try store?.authenticate(secret) { return GatewayCaller(key: key, isAdmin: false) }
        throw GatewayError.invalidKey
    }

    private static let apiKeyField = HTTPField.Name("x-api-key")!

    /// The key in `x-api-key`, else after `Bearer ` (any case) in `Authorization`, without surrounding spaces.
    static func presentedKey(_ headers: HTTPFields) -> String? {
        if let key = headers[apiKeyField], !key.isEmpty { return key }
        guard let authorization = headers[.authorization] else { return nil }
        let bytes = authorization.utf8
        let scheme = "bearer ".utf8
        guard bytes.count > scheme.count,
            zip(bytes, scheme).allSatisfy({ $0 | 0x20 == $1 | 0x20 })
        else { return nil }
        func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        let key = bytes.dropFirst(scheme.count).drop(while: isSpace)
        guard let last = key.lastIndex(where: { !isSpace($0) }) else { return nil }
        return String(Substring(key[...last]))
    }
}
