import Foundation
import Logging
import Switchboard
import SwitchboardTesting

/// The demo's cache step: a question answered by the provider, the same question answered from the
/// exact cache at no cost, and a paraphrase answered from the semantic cache — on a client of its own
/// with an in-memory cache whose prompts are embedded by the (simulated) local Ollama.
struct DemoCacheStep {
    let simulator: ProviderSimulator
    let output: TerminalOutput
    let logger: Logger

    func run(number: Int) async throws {
        output.write("\n" + output.bold(output.cyan("\(number). Response and semantic cache")) + "\n")
        output.write(
            output.dim(
                "   configuration.cache = ResponseCacheConfiguration(semantic: .init(threshold: 0.95)); "
                    + "metadata.cache = CachePolicy(mode: .semantic)") + "\n")
        var configuration = SwitchboardConfiguration(providers: [
            ProviderConfiguration(
                id: .openAI, kind: .openAI, apiKey: APIKey("sk-demo-key-not-real"),
                baseURL: simulator.baseURL(for: .openAI)),
            ProviderConfiguration(id: .ollama, kind: .ollama, baseURL: simulator.baseURL(for: .ollama)),
        ])
        configuration.cache = ResponseCacheConfiguration(semantic: .init(threshold: 0.95))
        let before = simulator.requests(for: .openAI).count
        try await withLLMClient(configuration: configuration, logger: logger) { client in
            let question = "Could you explain in one short paragraph how a transformer language model generates text?"
            let paraphrase =
                "In one short paragraph, could you explain how a transformer language model generates text?"
            simulator.enqueue(
                .text(
                    "It reads the prompt, then predicts one token at a time, each from everything before it.",
                    usage: SimulatedUsage(inputTokens: 1_800, outputTokens: 420)),
                for: .openAI)
            for (label, prompt) in [("asked", question), ("asked again", question), ("paraphrased", paraphrase)] {
                let response = try await client.chat(
                    ChatRequest(
                        messages: [.user(prompt)], provider: .openAI,
                        metadata: RequestMetadata(cache: CachePolicy(mode: .semantic))))
                output.write(output.green("   \(label)") + output.dim(" · \(prompt)") + "\n")
                output.write(describe(response) + "\n")
            }
        }
        let sent = simulator.requests(for: .openAI).count - before
        output.write(output.dim("   openai received \(sent) request\(sent == 1 ? "" : "s") for the 3 questions") + "\n")
    }

    private func describe(_ response: ChatResponse) -> String {
        let cost = response.cost.map { $0.total.formatted() } ?? "unknown price"
        guard let cache = response.cache, cache.isHit else {
            return output.dim("     from \(response.provider) · cost \(cost) · ") + output.yellow("cache miss, stored")
        }
        var line = output.dim("     from the cache · cost \(cost) · ") + output.green("\(cache.kind) hit")
        if let similarity = cache.similarity {
            line += output.dim(" (similarity \(String(format: "%.3f", similarity)))")
        }
        if let saved = cache.savedCost { line += output.dim(" · saved \(saved)") }
        return line
    }
}
