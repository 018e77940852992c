/// A strict JSON reader over UTF-8 bytes, for hand-written decoders of the few wire types read on
/// every request (a provider's completion and stream chunk).
///
/// Codable's container machinery costs more than parsing these small bodies; a decoder walks the
/// document with ``readObject(_:)`` and friends instead and builds its value directly. The reader
/// accepts only RFC 8259 JSON (no trailing commas, leading zeros, lone surrogates, unescaped control
/// characters or invalid UTF-8) and throws ``Failure`` on anything else, including a value of an
/// unexpected type: callers then fall back to `JSONDecoder`, whose answer (value or error) stands.
package struct JSONReader {
    /// Why the reader stopped; a caller falls back to `JSONDecoder` for any of them.
    package enum Failure: Error, Equatable {
        case malformed(offset: Int)
        case unexpected(offset: Int)
        case tooDeep
    }

    private let bytes: UnsafeRawBufferPointer
    private var offset = 0
    private var depth = 0
    private static let maximumDepth = 256

    private init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Reads one whole document with `body`; only whitespace may follow the value it reads.
    package static func read<T>(_ bytes: UnsafeRawBufferPointer, _ body: (inout JSONReader) throws -> T) throws -> T {
        var reader = JSONReader(bytes)
        let value = try body(&reader)
        reader.skipWhitespace()
        guard reader.offset == bytes.count else { throw Failure.malformed(offset: reader.offset) }
        return value
    }

    // MARK: Containers

    /// Reads an object, handing each member's key to `member`, which must read or skip its value.
    package mutating func readObject(_ member: (inout JSONReader, Key) throws -> Void) throws {
        try readContainer(open: UInt8(ascii: "{"), close: UInt8(ascii: "}")) { reader in
            reader.skipWhitespace()
            guard reader.peek() == UInt8(ascii: "\"") else { throw Failure.malformed(offset: reader.offset) }
            let key = try reader.readKey()
            try reader.expect(UInt8(ascii: ":"))
            try member(&reader, key)
        }
    }

    /// Reads an array, calling `element` once per element, which must read or skip it.
    package mutating func readArray(_ element: (inout JSONReader) throws -> Void) throws {
        try readContainer(open: UInt8(ascii: "["), close: UInt8(ascii: "]"), element)
    }

    /// The comma-separated entries between `open` and `close`; `entry` must read one whole entry.
    private mutating func readContainer(
        open: UInt8, close: UInt8, _ entry: (inout JSONReader) throws -> Void
    ) throws {
        try expect(open)
        depth += 1
        guard depth <= Self.maximumDepth else { throw Failure.tooDeep }
        skipWhitespace()
        if peek() == close {
            offset += 1
            depth -= 1
            return
        }
        while true {
            let before = offset
            try entry(&self)
            guard offset > before else { throw Failure.unexpected(offset: offset) }
            skipWhitespace()
            switch next() {
            case UInt8(ascii: ","): continue
            case close:
                depth -= 1
                return
            default: throw Failure.malformed(offset: offset - 1)
            }
        }
    }

    // MARK: Scalars

    /// Consumes a `null` and returns `true`, or leaves any other value unread and returns `false`.
    package mutating func readNull() throws -> Bool {
        skipWhitespace()
        guard peek() == UInt8(ascii: "n") else { return false }
        try expectLiteral("null")
        return true
    }

    package mutating func readString() throws -> String {
        skipWhitespace()
        guard peek() == UInt8(ascii: "\"") else { throw Failure.unexpected(offset: offset) }
        return try readQuoted()
    }

    package mutating func readOptionalString() throws -> String? {
        try readNull() ? nil : readString()
    }

    /// Reads an integer written without fraction or exponent that fits in `Int`.
    package mutating func readInt() throws -> Int {
        skipWhitespace()
        let start = offset
        let negative = peek() == UInt8(ascii: "-")
        if negative { offset += 1 }
        guard let first = peek(), isDigit(first) else { throw Failure.unexpected(offset: start) }
        var value = 0
        if first == UInt8(ascii: "0") {
            offset += 1
        } else {
            while let digit = peek(), isDigit(digit) {
                let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) =
                    negative
                    ? shifted.subtractingReportingOverflow(Int(digit &- UInt8(ascii: "0")))
                    : shifted.addingReportingOverflow(Int(digit &- UInt8(ascii: "0")))
                guard !overflow1, !overflow2 else { throw Failure.unexpected(offset: start) }
                value = sum
                offset += 1
            }
        }
        if let after = peek(),
            after == UInt8(ascii: ".") || after == UInt8(ascii: "e") || after == UInt8(ascii: "E")
                || isDigit(after)
        {
            throw Failure.unexpected(offset: start)
        }
        return value
    }

    package mutating func readOptionalInt() throws -> Int? {
        try readNull() ? nil : readInt()
    }

    package mutating func readBool() throws -> Bool {
        skipWhitespace()
        switch peek() {
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return true
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return false
        default: throw Failure.unexpected(offset: offset)
        }
    }

    package mutating func readOptionalBool() throws -> Bool? {
        try readNull() ? nil : readBool()
    }

    /// Reads any JSON number as the nearest `Double`, as `JSONDecoder` does.
    package mutating func readDouble() throws -> Double {
        skipWhitespace()
        let start = offset
        guard let first = peek(), first == UInt8(ascii: "-") || isDigit(first) else {
            throw Failure.unexpected(offset: start)
        }
        try skipNumber()
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw Failure.unexpected(offset: start) }
        return value
    }

    package mutating func readOptionalDouble() throws -> Double? {
        try readNull() ? nil : readDouble()
    }

    /// Reads and checks any value without keeping it.
    package mutating func skipValue() throws {
        skipWhitespace()
        switch peek() {
        case UInt8(ascii: "{"): try readObject { reader, _ in try reader.skipValue() }
        case UInt8(ascii: "["): try readArray { reader in try reader.skipValue() }
        case UInt8(ascii: "\""): try skipQuoted()
        case UInt8(ascii: "t"): try expectLiteral("true")
        case UInt8(ascii: "f"): try expectLiteral("false")
        case UInt8(ascii: "n"): try expectLiteral("null")
        case let byte? where byte == UInt8(ascii: "-") || isDigit(byte): try skipNumber()
        default: throw Failure.malformed(offset: offset)
        }
    }

    // MARK: Keys

    /// An object member's name: its raw bytes when it has no escapes, else the decoded text.
    package struct Key {
        fileprivate var raw: UnsafeRawBufferPointer?
        fileprivate var decoded: String?

        package static func == (key: Key, name: StaticString) -> Bool {
            if let raw = key.raw {
                guard raw.count == name.utf8CodeUnitCount else { return false }
                return raw.elementsEqual(UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            }
            return key.decoded == name.description
        }
    }

    private mutating func readKey() throws -> Key {
        guard let end = plainStringEnd() else { return Key(raw: nil, decoded: try readQuoted()) }
        let raw = UnsafeRawBufferPointer(rebasing: bytes[offset + 1..<end])
        offset = end + 1
        return Key(raw: raw, decoded: nil)
    }

    /// The index of the closing quote of the string at `offset` when it is plain ASCII without
    /// escapes, which needs no decoding or validation; `nil` for any other string.
    private func plainStringEnd() -> Int? {
        var index = offset + 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { return index }
            if byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 { return nil }
            index += 1
        }
        return nil
    }

    // MARK: Strings

    private mutating func readQuoted() throws -> String {
        offset += 1
        let start = offset
        var ascii = true
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                let slice = UnsafeRawBufferPointer(rebasing: bytes[start..<offset])
                offset += 1
                if ascii { return String(decoding: slice, as: UTF8.self) }
                guard let text = String(validating: slice, as: UTF8.self) else {
                    throw Failure.malformed(offset: start)
                }
                return text
            }
            if byte == UInt8(ascii: "\\") { return try readEscaped(from: start) }
            if byte < 0x20 { throw Failure.malformed(offset: offset) }
            if byte >= 0x80 { ascii = false }
            offset += 1
        }
        throw Failure.malformed(offset: start)
    }

    /// The rest of a string that has escapes, from its first byte at `start`.
    private mutating func readEscaped(from start: Int) throws -> String {
        var utf8 = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<offset]))
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: utf8, as: UTF8.self) else { throw Failure.malformed(offset: start) }
                return text
            case UInt8(ascii: "\\"):
                try appendEscape(to: &utf8)
            case ..<0x20:
                throw Failure.malformed(offset: offset - 1)
            default:
                utf8.append(byte)
            }
        }
        throw Failure.malformed(offset: start)
    }

    private mutating func appendEscape(to utf8: inout [UInt8]) throws {
        guard let escaped = next() else { throw Failure.malformed(offset: offset) }
        switch escaped {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escaped)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = UInt32(try readHex4())
            if (0xD800..<0xDC00).contains(scalar) {
                guard next() == UInt8(ascii: "\\"), next() == UInt8(ascii: "u") else {
                    throw Failure.malformed(offset: offset)
                }
                let low = UInt32(try readHex4())
                guard (0xDC00..<0xE000).contains(low) else { throw Failure.malformed(offset: offset) }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw Failure.malformed(offset: offset) }
            utf8.append(contentsOf: UTF8.encode(unicode)!)
        default:
            throw Failure.malformed(offset: offset - 1)
        }
    }

    private mutating func readHex4() throws -> UInt16 {
        guard offset + 4 <= bytes.count else { throw Failure.malformed(offset: offset) }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw Failure.malformed(offset: offset)
            }
            value = value << 4 | UInt16(digit)
            offset += 1
        }
        return value
    }

    private mutating func skipQuoted() throws {
        guard let end = plainStringEnd() else { return _ = try readQuoted() }
        offset = end + 1
    }

    // MARK: Numbers and literals

    private mutating func skipNumber() throws {
        let start = offset
        if peek() == UInt8(ascii: "-") { offset += 1 }
        guard let first = peek(), isDigit(first) else { throw Failure.malformed(offset: start) }
        offset += 1
        if first != UInt8(ascii: "0") { skipDigits() }
        if peek() == UInt8(ascii: ".") {
            offset += 1
            guard let digit = peek(), isDigit(digit) else { throw Failure.malformed(offset: start) }
            skipDigits()
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            offset += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { offset += 1 }
            guard let digit = peek(), isDigit(digit) else { throw Failure.malformed(offset: start) }
            skipDigits()
        }
        if let after = peek(), isDigit(after) { throw Failure.malformed(offset: start) }
    }

    private mutating func skipDigits() {
        while let byte = peek(), isDigit(byte) { offset += 1 }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws {
        let count = literal.utf8CodeUnitCount
        guard offset + count <= bytes.count,
            UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count]).elementsEqual(
                UnsafeRawBufferPointer(start: literal.utf8Start, count: count))
        else { throw Failure.malformed(offset: offset) }
        offset += count
    }

    // MARK: Bytes

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private func peek() -> UInt8? {
        offset < bytes.count ? bytes[offset] : nil
    }

    private mutating func next() -> UInt8? {
        guard offset < bytes.count else { return nil }
        defer { offset += 1 }
        return bytes[offset]
    }

    private mutating func expect(_ byte: UInt8) throws {
        skipWhitespace()
        guard next() == byte else { throw Failure.malformed(offset: offset - 1) }
    }

    private mutating func skipWhitespace() {
        while let byte = peek(),
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
                || byte == UInt8(ascii: "\t")
        {
            offset += 1
        }
    }
}
