import Foundation

/// Deterministic unit-length embedding vectors derived from text by hashed character trigrams, so
/// that texts sharing most of their trigrams (paraphrases, reorderings, spelling variants) get a
/// high cosine similarity and unrelated texts a low one.
///
/// The text is normalised (lowercased, every run of non-alphanumeric characters made one space,
/// padded with a space at each end); each distinct trigram gets a pseudo-random direction seeded by
/// its FNV-1a hash, weighted by how often it occurs; the sum is normalised. The cosine of two vectors
/// then approximates the cosine of the texts' trigram counts, with noise of about 1/√dimensions for
/// unrelated texts: use a few hundred dimensions when similarity matters (Ollama's default here is
/// 768, like nomic-embed-text). Text without letters or digits gets a vector hashed from its bytes.
enum EmbeddingGenerator {
    /// A vector of `dimensions` floats, normalised to length 1; equal texts give equal vectors.
    static func vector(for text: String, dimensions: Int) -> [Float] {
        let count = max(1, dimensions)
        let grams = trigrams(of: text)
        var values = [Double](repeating: 0, count: count)
        if grams.isEmpty {
            accumulate(seed: fnv1a(Array(text.utf8)), weight: 1, into: &values)
        } else {
            for (gram, occurrences) in grams {
                accumulate(seed: fnv1a(gram), weight: Double(occurrences), into: &values)
            }
        }
        let length = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return values.map { Float(length > 0 ? $0 / length : 0) }
    }

    /// The distinct trigrams (as UTF-8 bytes) of the normalised text, with how often each occurs.
    static func trigrams(of text: String) -> [[UInt8]: Int] {
        var normalized: [Character] = [" "]
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                normalized.append(character)
            } else if normalized.last != " " {
                normalized.append(" ")
            }
        }
        if normalized.last != " " { normalized.append(" ") }
        guard normalized.count > 2 else { return [:] }
        var grams: [[UInt8]: Int] = [:]
        for start in 0...(normalized.count - 3) {
            grams[Array(String(normalized[start..<start + 3]).utf8), default: 0] += 1
        }
        return grams
    }

    private static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// Adds `weight` times the pseudo-random direction of `seed` (SplitMix64 values in [-1, 1]).
    private static func accumulate(seed: UInt64, weight: Double, into values: inout [Double]) {
        var state = seed
        for index in values.indices {
            state = state &+ 0x9e37_79b9_7f4a_7c15
            var mixed = state
            mixed = (mixed ^ (mixed >> 30)) &* 0xbf58_476d_1ce4_e5b9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94d0_49bb_1331_11eb
            mixed ^= mixed >> 31
            values[index] += weight * (Double(mixed >> 11) / Double(1 << 53) * 2 - 1)
        }
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
