import Foundation
import NIOCore
import Testing

@testable import Switchboard

/// A deterministic random number generator so chunking tests are reproducible.
typealias SeededGenerator = SplitMix64

/// Ways of cutting a byte stream into the chunks a network might deliver.
enum Chunking: CustomStringConvertible, Sendable {
    case whole
    case bytes
    case random(seed: UInt64, maximum: Int)

    static let all: [Chunking] =
        [.whole, .bytes]
        + [1, 2, 3, 42, 2024].flatMap { seed in
            [Chunking.random(seed: seed, maximum: 7), .random(seed: seed, maximum: 300)]
        }

    var description: String {
        switch self {
        case .whole: "whole"
        case .bytes: "one byte at a time"
        case .random(let seed, let maximum): "random 1...\(maximum), seed \(seed)"
        }
    }

    func chunks(of bytes: [UInt8]) -> [ByteBuffer] {
        switch self {
        case .whole:
            return [ByteBuffer(bytes: bytes)]
        case .bytes:
            return bytes.map { ByteBuffer(bytes: [$0]) }
        case .random(let seed, let maximum):
            var generator = SeededGenerator(seed: seed)
            var result: [ByteBuffer] = []
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + Int.random(in: 1...maximum, using: &generator))
                result.append(ByteBuffer(bytes: bytes[start..<end]))
                start = end
            }
            return result
        }
    }
}

/// Line-end styles a stream may use.
enum LineEnding: String, CaseIterable, Sendable {
    case lf, crlf, cr

    /// `bytes` (written with LF line ends) with every LF replaced by this style.
    func apply(to bytes: [UInt8]) -> [UInt8] {
        switch self {
        case .lf: return bytes
        case .cr: return bytes.map { $0 == 0x0A ? 0x0D : $0 }
        case .crlf: return bytes.flatMap { $0 == 0x0A ? [0x0D, 0x0A] : [$0] }
        }
    }
}

enum Fixtures {
    /// The bytes of `Fixtures/<name>` from the test bundle.
    static func bytes(_ name: String) throws -> [UInt8] {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"))
        return Array(try Data(contentsOf: url))
    }
}
