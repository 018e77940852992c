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
        guard let secret = Self.presentedKey(headers) else {
            if try !requiresKey() { return .anonymous }
            throw GatewayError.missingKey
        }
        let presentedHash = KeyHashing.sha256(secret)
        if let adminKeyHash, KeyHashing.constantTimeEquals(presentedHash, adminKeyHash) { return .admin }
        if let key = try store?.authenticate(secret) { return GatewayCaller(key: key, isAdmin: false) }
        if try !requiresKey() { return .anonymous }
        throw GatewayError.invalidKey
    }

    static func presentedKey(_ headers: HTTPFields) -> String? {
        if let key = headers[HTTPField.Name("x-api-key")!], !key.isEmpty { return key }
        guard let authorization = headers[.authorization] else { return nil }
        let prefix = "bearer "
        guard authorization.count > prefix.count, authorization.lowercased().hasPrefix(prefix) else { return nil }
        let key = authorization.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
        return key.isEmpty ? nil : key
    }
}
