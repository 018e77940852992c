/// How to read the members of a JSON object into a `Value`, by name: each known member's reader, and
/// which members the type's `Decodable` conformance requires.
///
/// ``JSONReader/readObject(into:_:)`` skips unknown members and turns down an object that names a
/// known member twice (`JSONDecoder` keeps the first) or lacks a required one.
package struct JSONMembers<Value>: Sendable {
    /// Reads one member's value into the value being built.
    package typealias Read = @Sendable (inout Value, inout JSONReader) throws -> Void

    fileprivate let names: [StaticString]
    fileprivate let reads: [Read]
    fileprivate let required: UInt64

    package init(_ members: KeyValuePairs<StaticString, Read>, required: [StaticString] = []) {
        precondition(members.count <= 64, "at most 64 members")
        names = members.map(\.key)
        reads = members.map(\.value)
        var mask: UInt64 = 0
        for name in required {
            guard let index = names.firstIndex(where: { JSONMembers.same($0, name) }) else {
                preconditionFailure("required member \(name) has no reader")
            }
            mask |= 1 << index
        }
        self.required = mask
    }

    fileprivate static func same(_ a: StaticString, _ b: StaticString) -> Bool {
        a.utf8CodeUnitCount == b.utf8CodeUnitCount
            && UnsafeRawBufferPointer(start: a.utf8Start, count: a.utf8CodeUnitCount).elementsEqual(
                UnsafeRawBufferPointer(start: b.utf8Start, count: b.utf8CodeUnitCount))
    }
}

extension JSONReader {
    /// Reads an object into `value` with `members`' readers.
    package mutating func readObject<Value>(into value: inout Value, _ members: JSONMembers<Value>) throws {
        var seen: UInt64 = 0
        try readObject { json, key in
            guard let index = members.names.firstIndex(where: { key == $0 }) else { return try json.skipValue() }
            let bit: UInt64 = 1 << index
            guard seen & bit == 0 else { throw Failure.unexpected(offset: 0) }
            seen |= bit
            try members.reads[index](&value, &json)
        }
        guard seen & members.required == members.required else { throw Failure.unexpected(offset: 0) }
    }

    /// Reads an array whose elements are all `Element`s (`null` elements are left to `JSONDecoder`).
    package mutating func readElements<Element: JSONReadable>(_: Element.Type) throws -> [Element] {
        var elements: [Element] = []
        try readArray { json in elements.append(try Element(reading: &json)) }
        return elements
    }

    /// Reads `null`, or turns down the document (for members only `JSONDecoder` reads).
    package mutating func readOnlyNull() throws {
        guard try readNull() else { throw Failure.unexpected(offset: 0) }
    }
}
