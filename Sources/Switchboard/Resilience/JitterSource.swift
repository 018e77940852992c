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

/// ``SplitMix64`` behind a lock.
private final class SeededGenerator: Sendable {
    private let generator: Mutex<SplitMix64>

    init(seed: UInt64) { generator = Mutex(SplitMix64(seed: seed)) }

    func next() -> Double {
        Double(generator.withLock { $0.next() } >> 11) * 0x1.0p-53
    }
}
