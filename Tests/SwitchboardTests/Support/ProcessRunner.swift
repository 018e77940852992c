import Foundation

/// Runs a program to its end and returns its exit status and combined output.
///
/// The wait happens on a thread of its own (see ``onOwnThread(_:)``).
func runToEnd(
    _ executable: String, _ arguments: [String], environment extra: [String: String] = [:]
) async throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = pipe.fileHandleForReading
    return await onOwnThread {
        let data = output.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// Runs blocking `work` (reading a pipe to its end, waiting for a process) on a new thread.
///
/// Not on the cooperative pool (two threads on a 2-core machine), and not on Dispatch's global queues
/// either: on Linux those are as wide as the cores too, so a few processes waited for at once would
/// stall every other test, simulators included, for as long as the programs run.
func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: work()) }.start()
    }
}
