import Foundation

/// The wall-clock time source for calendar periods (days and months), injectable so tests cross
/// midnight and month ends without waiting. Elapsed-time policies use ``PolicyClock`` instead.
public struct WallClock: Sendable {
    private let read: @Sendable () -> Date

    public init(_ now: @escaping @Sendable () -> Date) { read = now }

    /// The current time.
    public var now: Date { read() }

    /// The system's time.
    public static let system = WallClock { Date() }
}
