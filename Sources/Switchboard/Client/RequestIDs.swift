import Synchronization

/// Identifiers for requests: 128 bits from a SplitMix64 generator seeded once by the system's.
///
/// Foundation's `UUID()` opens, reads and closes `/dev/urandom` on Linux for every identifier, three
/// system calls each, and a gateway request made two. These identify requests in logs and ledgers;
/// they are not secrets.
package enum RequestIDs {
    private static let generator = Mutex(SplitMix64(seed: UInt64.random(in: .min ... .max)))

    private static func bytes() -> [UInt8] {
        let (high, low) = generator.withLock { ($0.next(), $0.next()) }
        return withUnsafeBytes(of: (high.bigEndian, low.bigEndian)) { Array($0) }
    }

    /// A random (version 4) UUID in lowercase, as `UUID().uuidString.lowercased()` writes it.
    package static func uuid() -> String {
        var bytes = bytes()
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        let hex = Array(bytes.lowercaseHex.utf8)
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (index, digit) in hex.enumerated() {
            if index == 8 || index == 12 || index == 16 || index == 20 { text.append(UInt8(ascii: "-")) }
            text.append(digit)
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// 32 random lowercase hexadecimal digits.
    package static func hex() -> String { bytes().lowercaseHex }
}
