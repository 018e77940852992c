#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#elseif os(Windows)
import ucrt
#endif

/// ASCII bytes the stream decoders look for.
enum ASCII {
    static let lineFeed: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let colon: UInt8 = 0x3A
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let null: UInt8 = 0x00
}

extension UnsafeRawBufferPointer {
    /// The offset of the first `byte` within `range`, found with `memchr` (vectorised by libc).
    @inline(__always)
    func firstOffset(of byte: UInt8, in range: Range<Int>) -> Int? {
        guard !range.isEmpty, let base = baseAddress else { return nil }
        guard let found = memchr(base + range.lowerBound, Int32(byte), range.count) else { return nil }
        return base.distance(to: UnsafeRawPointer(found))
    }

    /// Whether the bytes equal the ASCII `literal`.
    @inline(__always)
    func equalsASCII(_ literal: StaticString) -> Bool {
        guard count == literal.utf8CodeUnitCount, let base = baseAddress else { return literal.utf8CodeUnitCount == 0 }
        return memcmp(base, literal.utf8Start, count) == 0
    }
}
