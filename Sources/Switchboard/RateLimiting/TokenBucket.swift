/// A bucket that refills continuously at `perMinute` per minute up to `burst`, in exact integers.
///
/// One whole token is 60·10⁹ units (the nanoseconds in a minute), so `perMinute` units arrive every
/// nanosecond and no rounding ever lets one request too many through. The level may go below zero:
/// a request larger than the whole burst is let through when the bucket is full and leaves a debt.
struct TokenBucket: Hashable, Sendable {
    static let unitsPerToken: Int64 = 60_000_000_000
    /// The most a bucket may hold, so that every product below fits into 64 bits.
    static let maximumTokens = 100_000_000

    let perMinute: Int64
    let capacity: Int64
    private(set) var level: Int64
    private(set) var updatedAt: Duration

    /// A full bucket at `now`.
    init(perMinute: Int, burst: Int, now: Duration) {
        self.perMinute = Int64(min(max(perMinute, 1), Self.maximumTokens))
        self.capacity = Int64(min(max(burst, 1), Self.maximumTokens)) * Self.unitsPerToken
        self.level = capacity
        self.updatedAt = now
    }

    /// Whole tokens available now (after ``refill(at:)``).
    var available: Int { Int(max(0, level) / Self.unitsPerToken) }
    var burst: Int { Int(capacity / Self.unitsPerToken) }

    mutating func refill(at now: Duration) {
        guard now > updatedAt else { return }
        let elapsed = (now - updatedAt).nanoseconds
        updatedAt = now
        let missing = capacity - level
        guard missing > 0 else { return }
        if elapsed >= (missing + perMinute - 1) / perMinute {
            level = capacity
        } else {
            level += elapsed * perMinute
        }
    }

    /// How long until `tokens` may be taken; zero when they may be taken now.
    func wait(for tokens: Int) -> Duration {
        let needed = min(Self.units(tokens), capacity)
        guard level < needed else { return .zero }
        return .nanoseconds((needed - level + perMinute - 1) / perMinute)
    }

    mutating func take(_ tokens: Int) { level -= Self.units(tokens) }

    /// Gives back `tokens` (negative: takes more), never above the burst.
    mutating func giveBack(_ tokens: Int) {
        level = min(capacity, level + Self.units(tokens))
    }

    private static func units(_ tokens: Int) -> Int64 {
        Int64(min(max(tokens, -maximumTokens), maximumTokens)) * unitsPerToken
    }
}
