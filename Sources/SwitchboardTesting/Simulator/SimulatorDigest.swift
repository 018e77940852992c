/// Deterministic stand-ins for SHA-256 digests.
enum SimulatorDigest {
    /// 64 lowercase hex characters derived from `text`; equal texts give equal digests.
    static func hex(of text: String) -> String {
        // FNV-1a seeds a SplitMix64 sequence; four 64-bit words make 256 bits.
        var seed: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            seed ^= UInt64(byte)
            seed = seed &* 0x0000_0100_0000_01b3
        }
        var result = ""
        for _ in 0..<4 {
            seed = seed &+ 0x9e37_79b9_7f4a_7c15
            var mixed = seed
            mixed = (mixed ^ (mixed >> 30)) &* 0xbf58_476d_1ce4_e5b9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94d0_49bb_1331_11eb
            mixed ^= mixed >> 31
            let word = String(mixed, radix: 16)
            result += String(repeating: "0", count: 16 - word.count) + word
        }
        return result
    }
}
