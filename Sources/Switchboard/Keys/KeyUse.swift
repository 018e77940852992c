import Synchronization

/// Which key an attempt's call used: ``KeyedProvider`` tells it to the ``AttemptRunner`` around the call,
/// so the attempt, and its ledger row, name the key that was really used (a pool may rotate past others).
final class KeyUse: Sendable {
    @TaskLocal static var current: KeyUse?

    private let used = Mutex<String?>(nil)

    /// The fingerprint of the last key the call used.
    var fingerprint: String? { used.withLock { $0 } }

    func record(_ fingerprint: String) { used.withLock { $0 = fingerprint } }
}
