import Foundation

/// Runs the `switchboard` executable with a clean environment and captures its output.
final class CLIProcess: Sendable {
    struct Result: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    let process: Process
    private let stdoutPipe = Pipe()
    private let stderrPipe = Pipe()
    private let stdinPipe = Pipe()

    /// Starts `switchboard arguments…`; `environment` is all it sees besides PATH and a private HOME.
    init(_ arguments: [String], environment: [String: String] = [:], stdin: String? = nil) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: RepositoryPaths.switchboardExecutable)
        process.arguments = arguments
        var env = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": NSTemporaryDirectory() + "switchboard-cli-home",
        ]
        env.merge(environment) { _, new in new }
        process.environment = env
        process.currentDirectoryURL = URL(fileURLWithPath: NSTemporaryDirectory())
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        process.standardInput = stdinPipe
        try process.run()
        if let stdin { stdinPipe.fileHandleForWriting.write(Data(stdin.utf8)) }
        try stdinPipe.fileHandleForWriting.close()
    }

    /// Suspends until the first bytes appear on stdout and returns them.
    func firstOutput() async -> String {
        let handle = stdoutPipe.fileHandleForReading
        return await onOwnThread { String(decoding: handle.availableData, as: UTF8.self) }
    }

    func interrupt() { process.interrupt() }

    /// Waits for the process to exit and returns everything it printed (after `firstOutput`, the rest).
    func finish() async -> Result {
        let process = self.process
        let stdout = stdoutPipe.fileHandleForReading
        let stderr = stderrPipe.fileHandleForReading
        return await onOwnThread {
            let out = stdout.readDataToEndOfFile()
            let err = stderr.readDataToEndOfFile()
            process.waitUntilExit()
            return Result(
                status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                stderr: String(decoding: err, as: UTF8.self))
        }
    }

    static func run(
        _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil
    ) async throws -> Result {
        try await CLIProcess(arguments, environment: environment, stdin: stdin).finish()
    }
}
