import Foundation

/// Runs a program to its end and returns its exit status and combined output.
///
/// The wait happens on a Dispatch thread: waiting in the cooperative pool (two threads on a 2-core
/// machine) would stall every other test, simulators included, for as long as the program runs.
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
    return await withCheckedContinuation { continuation in
        DispatchQueue.global().async {
            let data = output.readDataToEndOfFile()
            process.waitUntilExit()
            continuation.resume(returning: (process.terminationStatus, String(decoding: data, as: UTF8.self)))
        }
    }
}
