import Switchboard

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes to stdout and stderr, unbuffered, and keeps model text from controlling the terminal.
struct TerminalOutput: Sendable {
    let stdoutIsTerminal: Bool
    let stderrIsTerminal: Bool
    /// Colours only on a terminal and when `NO_COLOR` is not set.
    let colors: Bool

    init(environment: [String: String]) {
        stdoutIsTerminal = isatty(STDOUT_FILENO) == 1
        stderrIsTerminal = isatty(STDERR_FILENO) == 1
        colors = stdoutIsTerminal && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
    }

    /// Writes text that came from a model: on a terminal, escape and control sequences are removed.
    func writeModelText(_ text: String) {
        write(stdoutIsTerminal ? TerminalSanitizer.sanitize(text) : text, to: STDOUT_FILENO)
    }

    func write(_ text: String) { write(text, to: STDOUT_FILENO) }

    func writeError(_ text: String) { write(text, to: STDERR_FILENO) }

    func style(_ text: String, _ code: String) -> String {
        colors ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    func bold(_ text: String) -> String { style(text, "1") }
    func dim(_ text: String) -> String { style(text, "2") }
    func green(_ text: String) -> String { style(text, "32") }
    func yellow(_ text: String) -> String { style(text, "33") }
    func red(_ text: String) -> String { style(text, "31") }
    func cyan(_ text: String) -> String { style(text, "36") }

    private func write(_ text: String, to descriptor: Int32) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { buffer in
                Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
        bytes.removeAll()
    }
}
