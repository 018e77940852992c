/// The receipt for a request queued in the outbox: its entry's number, shown as `#12`.
public struct OutboxTicket: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    /// The entry's id in the ``OutboxStore``.
    public var id: Int64

    public init(_ id: Int64) { self.id = id }

    /// Parses `12` or `#12`.
    public init?(_ text: String) {
        let digits = text.hasPrefix("#") ? text.dropFirst() : Substring(text)
        guard let id = Int64(digits), id > 0 else { return nil }
        self.id = id
    }

    public var description: String { "#\(id)" }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.id < rhs.id }
}
