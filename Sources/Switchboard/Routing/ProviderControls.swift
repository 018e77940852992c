import Synchronization

/// Providers switched off at run time; routing plans none of them until they are switched on again.
public final class ProviderControls: Sendable {
    private let disabled = Mutex<Set<ProviderID>>([])

    public init() {}

    public func disable(_ provider: ProviderID) { _ = disabled.withLock { $0.insert(provider) } }
    public func enable(_ provider: ProviderID) { _ = disabled.withLock { $0.remove(provider) } }
    public func isEnabled(_ provider: ProviderID) -> Bool { !disabled.withLock { $0.contains(provider) } }
}
