/// Makes untrusted text (a model's answer) safe to write to a terminal.
public enum TerminalSanitizer {
    /// Removes ANSI escape sequences (CSI, OSC, and two-character escapes), control characters
    /// other than newline and tab, and the bidirectional overrides and isolates (U+202A–U+202E,
    /// U+2066–U+2069) that make text display in another order than it reads, so model output cannot
    /// move the cursor, retitle the window or hide text.
    public static func sanitize(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar?
        func nextScalar() -> Unicode.Scalar? {
            defer { pending = nil }
            return pending ?? scalars.next()
        }
        while let scalar = nextScalar() {
            switch scalar.value {
            case 0x1B:
                guard let introducer = scalars.next() else { break }
                if introducer == "[" {
                    // CSI: parameters and intermediates until a final byte 0x40–0x7E.
                    while let next = scalars.next(), !(0x40...0x7E).contains(next.value) {}
                } else if introducer == "]" || introducer == "P" || introducer == "_" || introducer == "^" {
                    // OSC/DCS/APC/PM: until BEL or ESC \.
                    while let next = scalars.next() {
                        if next.value == 0x07 { break }
                        if next.value == 0x1B {
                            _ = scalars.next()
                            break
                        }
                    }
                }
            case 0x9B:
                // 8-bit CSI: parameter and intermediate bytes, then one final byte; anything else ends it.
                while let next = nextScalar() {
                    if (0x20...0x3F).contains(next.value) { continue }
                    if !(0x40...0x7E).contains(next.value) { pending = next }
                    break
                }
            case 0x90, 0x9D, 0x9E, 0x9F:
                // 8-bit DCS/OSC/PM/APC: until BEL, ST (0x9C) or ESC \.
                while let next = scalars.next() {
                    if next.value == 0x07 || next.value == 0x9C { break }
                    if next.value == 0x1B {
                        _ = scalars.next()
                        break
                    }
                }
            case 0x0A, 0x09:
                output.append(scalar)
            case 0x00...0x1F, 0x7F, 0x80...0x9F, 0x202A...0x202E, 0x2066...0x2069:
                continue
            default:
                output.append(scalar)
            }
        }
        return String(output)
    }
}
