/// A wire type with a hand-written reader, tried before `JSONDecoder` (see ``JSONReader``): an object
/// read member by member with ``jsonMembers``, starting from `init()`.
package protocol JSONReadable: Decodable {
    init()
    static var jsonMembers: JSONMembers<Self> { get }
    /// Reads one value; throws for anything the type's `Decodable` conformance might read
    /// differently, so that `JSONDecoder` decides.
    init(reading json: inout JSONReader) throws
}

extension JSONReadable {
    package init(reading json: inout JSONReader) throws {
        self.init()
        try json.readObject(into: &self, Self.jsonMembers)
    }
}

extension JSONReader {
    /// `bytes` read as `T` by `T`'s own reader, when `T` is ``JSONReadable`` and its reader is sure of
    /// them; `nil` means "ask `JSONDecoder`".
    package static func value<T>(_ type: T.Type, from bytes: UnsafeRawBufferPointer) -> T? {
        guard let readable = T.self as? any JSONReadable.Type else { return nil }
        return try? read(bytes) { json in try readable.init(reading: &json) } as? T
    }
}
