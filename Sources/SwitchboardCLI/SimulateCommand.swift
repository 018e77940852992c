import ArgumentParser
import Foundation
import SwitchboardTesting

/// `switchboard simulate` (hidden): runs the provider simulator until interrupted, for the gateway's load
/// benchmark (`Scripts/gateway-load.sh`) and for trying SDKs without provider keys.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Run the provider simulator on loopback until interrupted.",
        shouldDisplay: false)

    @Option(name: .long, help: "The text every chat request is answered with.")
    var reply = "Hello from the simulator"

    @Option(name: .long, help: "Characters per streamed delta.")
    var chunkSize = 8

    @Option(name: .long, help: "Milliseconds between streamed events (0: as fast as possible).")
    var eventIntervalMs = 0

    func run() async throws {
        let output = TerminalOutput(environment: ProcessInfo.processInfo.environment)
        let simulator = try await ProviderSimulator.start()
        var answer = SimulatedReply.text(reply)
        answer.chunkSize = chunkSize
        if eventIntervalMs > 0 { answer.faults = [.eventInterval(.milliseconds(eventIntervalMs))] }
        for provider in [SimulatedProvider.openAI, .anthropic, .gemini, .ollama] {
            simulator.setDefaultReply(answer, for: provider)
        }
        output.write(
            "simulator listening: OPENAI_BASE_URL=\(simulator.baseURL(for: .openAI)) "
                + "ANTHROPIC_BASE_URL=\(simulator.baseURL(for: .anthropic)) OLLAMA_HOST=\(simulator.baseURL(for: .ollama))\n"
        )
        do {
            while !Task.isCancelled { try await Task.sleep(for: .seconds(3600)) }
        } catch {}
        try await simulator.shutdown()
    }
}
