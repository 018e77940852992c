import Foundation

/// Deterministic unit-length embedding vectors derived from text.
enum EmbeddingGenerator {
    /// A vector of `dimensions` floats in [-1, 1], normalised to length 1; equal texts give equal vectors.
    static func vector(for text: String, dimensions: Int) -> [Float] {
        // FNV-1a seeds a SplitMix64 sequence.
        var seed: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            seed ^= UInt64(byte)
            seed = seed &* 0x0000_0100_0000_01b3
        }
        var values: [Double] = []
        values.reserveCapacity(dimensions)
        for _ in 0..<max(1, dimensions) {
            seed = seed &+ 0x9e37_79b9_7f4a_7c15
            var mixed = seed
            mixed = (mixed ^ (mixed >> 30)) &* 0xbf58_476d_1ce4_e5b9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94d0_49bb_1331_11eb
            mixed ^= mixed >> 31
            values.append(Double(mixed >> 11) / Double(1 << 53) * 2 - 1)
        }
        let length = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return values.map { Float(length > 0 ? $0 / length : 0) }
    }

    /// The vector as base64 of little-endian float32 values (`encoding_format: "base64"`).
    static func base64(_ vector: [Float]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(vector.count * 4)
        for value in vector {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        }
        return Data(bytes).base64EncodedString()
    }
}
