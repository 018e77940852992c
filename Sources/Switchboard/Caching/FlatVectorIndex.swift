/// An exhaustive index of unit vectors of one length, searched by cosine similarity with SIMD.
///
/// Vectors are normalised when added and kept as bfloat16 (the upper 16 bits of a `Float`),
/// two per 32-bit word, in one contiguous buffer: half the memory and memory bandwidth of `Float`,
/// which is what bounds a scan of 100,000 × 768 dimensions. A word becomes two `Float` lanes with one
/// shift and one mask, so the scan runs at `SIMD4<Float>` speed on any x86-64 or ARM64 CPU without
/// special instructions. bfloat16 keeps 8 significant bits: a similarity is off by at most 2⁻⁸ (0.004)
/// and in practice by about 10⁻⁴. The query stays `Float`.
public struct FlatVectorIndex: Sendable {
    /// The vectors' length.
    public let dimensions: Int
    /// 32-bit words per vector: the dimensions rounded up to a multiple of 16, halved.
    private let wordsPerVector: Int
    private var words: [UInt32] = []
    /// The key of each stored vector, in storage order.
    public private(set) var keys: [CacheKey] = []
    private var slots: [CacheKey: Int] = [:]

    /// An empty index for vectors of `dimensions` values.
    public init(dimensions: Int) {
        self.dimensions = dimensions
        wordsPerVector = (max(dimensions, 1) + 15) / 16 * 8
    }

    /// How many vectors the index holds.
    public var count: Int { keys.count }

    /// Adds `vector` (normalised here) under `key`, replacing a vector already under it. Vectors of another
    /// length, or of length zero, are not added.
    public mutating func insert(_ vector: [Float], for key: CacheKey) {
        guard vector.count == dimensions else { return }
        var squares: Double = 0
        for value in vector { squares += Double(value) * Double(value) }
        guard squares > 0, squares.isFinite else { return }
        let scale = Float(1 / squares.squareRoot())
        var packed = [UInt32](repeating: 0, count: wordsPerVector)
        for index in 0..<dimensions {
            let half = UInt32(Self.bfloat16(vector[index] * scale))
            packed[index / 2] |= index % 2 == 0 ? half : half << 16
        }
        if let slot = slots[key] {
            words.replaceSubrange(slot * wordsPerVector..<(slot + 1) * wordsPerVector, with: packed)
        } else {
            slots[key] = keys.count
            keys.append(key)
            words += packed
        }
    }

    /// Removes the vector under `key`, if any (the last vector takes its place).
    public mutating func remove(_ key: CacheKey) {
        guard let slot = slots.removeValue(forKey: key) else { return }
        let last = keys.count - 1
        if slot != last {
            let moved = keys[last]
            words.withUnsafeMutableBufferPointer { buffer in
                for offset in 0..<wordsPerVector {
                    buffer[slot * wordsPerVector + offset] = buffer[last * wordsPerVector + offset]
                }
            }
            keys[slot] = moved
            slots[moved] = slot
        }
        keys.removeLast()
        words.removeLast(wordsPerVector)
    }

    /// Whether a vector is stored under `key`.
    public func contains(_ key: CacheKey) -> Bool { slots[key] != nil }

    /// The stored vectors whose cosine similarity with `query` is at least `threshold`, most similar
    /// first, at most `limit` of them.
    public func search(_ query: [Float], threshold: Float, limit: Int = 4) -> [(key: CacheKey, similarity: Float)] {
        guard query.count == dimensions, !keys.isEmpty, limit > 0 else { return [] }
        var squares: Double = 0
        for value in query { squares += Double(value) * Double(value) }
        guard squares > 0, squares.isFinite else { return [] }
        let scale = Float(1 / squares.squareRoot())
        // The query split into the even and odd lanes of the stored words.
        var even = [Float](repeating: 0, count: wordsPerVector)
        var odd = [Float](repeating: 0, count: wordsPerVector)
        for index in 0..<dimensions {
            if index % 2 == 0 { even[index / 2] = query[index] * scale } else { odd[index / 2] = query[index] * scale }
        }
        var best: [(slot: Int, similarity: Float)] = []
        let wordsPerVector = self.wordsPerVector
        words.withUnsafeBytes { stored in
            even.withUnsafeBytes { even in
                odd.withUnsafeBytes { odd in
                    guard let base = stored.baseAddress, let even = even.baseAddress, let odd = odd.baseAddress else {
                        return
                    }
                    let stride = wordsPerVector * 4
                    for slot in 0..<keys.count {
                        let similarity = Self.dot(base + slot * stride, even, odd, bytes: stride)
                        guard similarity >= threshold else { continue }
                        if best.count < limit {
                            best.append((slot, similarity))
                        } else if let worst = best.last, similarity > worst.similarity {
                            best[best.count - 1] = (slot, similarity)
                        } else {
                            continue
                        }
                        best.sort { $0.similarity > $1.similarity }
                    }
                }
            }
        }
        return best.map { (keys[$0.slot], $0.similarity) }
    }

    /// The dot product of one stored vector with the query's even and odd lanes; `bytes` is a multiple of 32.
    @inline(__always)
    private static func dot(
        _ vector: UnsafeRawPointer, _ even: UnsafeRawPointer, _ odd: UnsafeRawPointer, bytes: Int
    ) -> Float {
        let highHalf = SIMD4<UInt32>(repeating: 0xFFFF_0000)
        var sum0 = SIMD4<Float>(), sum1 = SIMD4<Float>(), sum2 = SIMD4<Float>(), sum3 = SIMD4<Float>()
        var offset = 0
        while offset < bytes {
            let first = vector.loadUnaligned(fromByteOffset: offset, as: SIMD4<UInt32>.self)
            let second = vector.loadUnaligned(fromByteOffset: offset + 16, as: SIMD4<UInt32>.self)
            // Element 2k is the low half of word k, element 2k+1 the high half: a bfloat16 is a Float's high half.
            sum0 +=
                unsafeBitCast(first &<< 16, to: SIMD4<Float>.self)
                * even.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self)
            sum1 +=
                unsafeBitCast(first & highHalf, to: SIMD4<Float>.self)
                * odd.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self)
            sum2 +=
                unsafeBitCast(second &<< 16, to: SIMD4<Float>.self)
                * even.loadUnaligned(fromByteOffset: offset + 16, as: SIMD4<Float>.self)
            sum3 +=
                unsafeBitCast(second & highHalf, to: SIMD4<Float>.self)
                * odd.loadUnaligned(fromByteOffset: offset + 16, as: SIMD4<Float>.self)
            offset += 32
        }
        return ((sum0 + sum1) + (sum2 + sum3)).sum()
    }

    /// The bfloat16 nearest to `value` (round half to even).
    static func bfloat16(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        return UInt16(truncatingIfNeeded: (bits &+ 0x7FFF &+ ((bits >> 16) & 1)) >> 16)
    }
}
