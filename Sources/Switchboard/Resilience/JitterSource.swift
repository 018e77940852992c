import Synchronization

/// Random numbers in [0, 1) for backoff jitter, injectable so tests are deterministic.
public struct JitterSource: Sendable {
    private let generate: @Sendable () -> Double

    /// A source that calls `next` for every number; it should return values in [0, 1).
    public init(_ next: @escaping @Sendable () -> Double) {
        generate = next
    }

    /// The next number, in [0, 1).
    public func next() -> Double { generate() }

    /// The system's random numbers.
    public static let system = JitterSource { Double.random(in: 0..<1) }

    /// A reproducible sequence (SplitMix64) starting from `seed`; safe to share between tasks.
    public static func seeded(_ seed: UInt64) -> JitterSource {
        let generator = SeededGenerator(seed: seed)
        return JitterSource { generator.next() }
    }
}

/// SplitMix64 behind a lock.
private final class SeededGenerator: Sendable {
    private let state: Mutex<UInt64>

    init(seed: UInt64) { state = Mutex(seed) }

    func next() -> Double {
        let bits = state.withLock { state -> UInt64 in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        return Double(bits >> 11) * 0x1.0p-53
    }
}
