/// Makes untrusted text (a model's answer) safe to write to a terminal.
public enum TerminalSanitizer {
    /// Removes ANSI escape sequences (CSI, OSC, and two-character escapes) and control characters
    /// other than newline and tab, so model output cannot move the cursor, retitle the window or
    /// hide text.
    public static func sanitize(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
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
            case 0x0A, 0x09:
                output.append(scalar)
            case 0x00...0x1F, 0x7F, 0x80...0x9F:
                continue
            default:
                output.append(scalar)
            }
        }
        return String(output)
    }
}
