import Foundation

extension SwitchboardConfiguration {
    /// Reads the master secret from the environment and adds a provider for each built-in provider
    /// the encrypted key store has keys for. A store without a master secret is left unread.
    mutating func applyKeyStore(environment: [String: String]) throws {
        do {
            keys.masterSecret = try MasterSecret.fromEnvironment(environment) ?? keys.masterSecret
        } catch let error as KeyStoreError {
            throw ConfigurationError(kind: .invalidValue, keyPath: "SWITCHBOARD_MASTER_KEY", message: error.message)
        }
        guard let store = keys.store(dataDirectory: dataDirectory), store.exists else { return }
        for key in try store.load() where !providers.contains(where: { $0.id == key.provider }) {
            guard let kind = ProviderKind(rawValue: key.provider.rawValue) else { continue }
            providers.append(ProviderConfiguration(id: key.provider, kind: kind))
        }
    }

    /// Checks what a client needs before it sends anything: every base URL is HTTPS unless it points
    /// at this machine. Throws a ``ConfigurationError`` naming the provider's `base_url`.
    public func validate() throws {
        for provider in providers {
            guard let baseURL = provider.baseURL else { continue }
            do {
                _ = try BaseURL(baseURL)
            } catch let error as ProviderError {
                throw ConfigurationError(
                    kind: .invalidValue, keyPath: "providers.\(provider.id).base_url", file: sourceFile,
                    message: "\(provider.id): \(error.message)")
            }
        }
    }

    /// The key ring of `provider`: its ``ProviderConfiguration/apiKey`` (named `default`) and
    /// ``ProviderConfiguration/keys``, else the store's keys for it. Also says whether the ring came
    /// from the store (and so reloads from it).
    func keyRing(for provider: ProviderConfiguration, storeKeys: [ManagedKey]?) -> (keys: [ManagedKey], fromStore: Bool)
    {
        var ring: [ManagedKey] = []
        if let apiKey = provider.apiKey {
            ring.append(ManagedKey(name: "default", provider: provider.id, secret: apiKey))
        }
        ring += provider.keys
        if ring.isEmpty, let stored = storeKeys?.filter({ $0.provider == provider.id }), !stored.isEmpty {
            return (stored, true)
        }
        return (ring, false)
    }
}
