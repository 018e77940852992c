import Switchboard

/// Draws a pull's progress: on a terminal one line redrawn with `\r` (bar, percent, rate, ETA);
/// otherwise a plain line at every 10 % and at each status change that is not a layer download.
final class PullProgressRenderer {
    private let output: TerminalOutput
    private let model: String
    private let indent: String
    private let started = ContinuousClock.now
    private var lastDraw: ContinuousClock.Instant?
    private var lastDecile = -1
    private var lastStatus = ""
    private var drewLine = false
    private var last: LocalModelPullProgress?

    init(output: TerminalOutput, model: String, indent: String = "") {
        self.output = output
        self.model = model
        self.indent = indent
    }

    func update(_ progress: LocalModelPullProgress) {
        last = progress
        if output.stdoutIsTerminal {
            let now = ContinuousClock.now
            if let lastDraw, now - lastDraw < .milliseconds(80), !progress.isComplete { return }
            lastDraw = now
            output.write("\r\u{1B}[K" + line(progress))
            drewLine = true
        } else {
            if !Self.isLayerStatus(progress.status), progress.status != lastStatus, !progress.isComplete {
                output.write("\(indent)\(model): \(progress.status)\n")
            }
            lastStatus = progress.status
            let decile = Int((progress.fraction * 10).rounded(.down))
            if progress.totalBytes > 0, decile > lastDecile {
                lastDecile = decile
                output.write(
                    "\(indent)\(model): \(decile * 10)% (\(ByteSize.format(progress.completedBytes)) of "
                        + "\(ByteSize.format(progress.totalBytes)))\n")
            }
        }
    }

    /// Ends the progress line and says how the pull ended.
    func finish() {
        if drewLine { output.write("\n") }
        let seconds = (ContinuousClock.now - started).seconds
        if let last, last.isComplete {
            output.write(
                "\(indent)\(output.green("pulled")) \(model) (\(ByteSize.format(last.totalBytes)) in "
                    + "\(Self.seconds(seconds)))\n")
        }
    }

    /// Ends a progress line that a failure interrupted.
    func abandon() {
        if drewLine { output.write("\n") }
    }

    private func line(_ progress: LocalModelPullProgress) -> String {
        let width = 24
        let filled = Int((progress.fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let percent = Int((progress.fraction * 100).rounded(.down))
        let elapsed = (ContinuousClock.now - started).seconds
        var text = "\(indent)\(model) \(output.cyan(bar)) \(percent)%"
        if progress.totalBytes > 0 {
            text += "  \(ByteSize.format(progress.completedBytes))/\(ByteSize.format(progress.totalBytes))"
        }
        if elapsed > 0.05, progress.completedBytes > 0 {
            let rate = Double(progress.completedBytes) / elapsed
            text += "  \(ByteSize.format(Int64(rate)))/s"
            if !progress.isComplete, rate > 0 {
                text += "  ETA \(Self.seconds(Double(progress.totalBytes - progress.completedBytes) / rate))"
            }
        }
        if !Self.isLayerStatus(progress.status), !progress.isComplete { text += "  " + output.dim(progress.status) }
        return text
    }

    /// `pulling <digest>` lines, which the bar shows; other statuses are worth a line of their own.
    private static func isLayerStatus(_ status: String) -> Bool {
        status.hasPrefix("pulling ") && status != "pulling manifest"
    }

    private static func seconds(_ value: Double) -> String {
        let total = Int(value.rounded(.up))
        if total < 60 { return value < 10 ? String(format: "%.1fs", value) : "\(total)s" }
        return "\(total / 60)m\(String(format: "%02d", total % 60))s"
    }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
