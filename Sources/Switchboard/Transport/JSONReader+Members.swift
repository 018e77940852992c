extension JSONReader {
    /// The known members an object has had so far.
    package struct Members {
        private var seen: UInt32 = 0

        package init() {}

        /// Marks member `index` as read; a second time throws.
        package mutating func claim(_ index: Int) throws {
            let bit: UInt32 = 1 << index
            guard seen & bit == 0 else { throw Failure.unexpected(offset: 0) }
            seen |= bit
        }

        /// Whether member `index` was read, for members a type requires.
        package func contains(_ index: Int) -> Bool {
            seen & (1 << index) != 0
        }
    }

    /// Reads an array whose elements are all `Element`s (`null` elements are left to `JSONDecoder`).
    package mutating func readElements<Element: JSONReadable>(_: Element.Type) throws -> [Element] {
        var elements: [Element] = []
        try readArray { json in elements.append(try Element(reading: &json)) }
        return elements
    }
}
