import Testing

/// The demo's offline step, through the real executable.
@Suite(.timeLimit(.minutes(2))) struct OfflineDemoTests {
    @Test func demoGoesOfflineAnswersLocallyQueuesAndSyncsWhenBack() async throws {
        let result = try await CLIProcess.run(["demo"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let step = try #require(result.stdout.components(separatedBy: ". Offline mode and the outbox").last)
        let lines = step.split(separator: "\n").map(String.init)
        let expected = [
            ("online", "→ openai"), ("network cut", "connections are refused"),
            ("complex task", "degraded — one failure is not offline yet"),
            ("complex task", "offline — answered by local model llama3.2"), ("research task", "queued #1"),
            ("network back", "→ online"), ("outbox sync", "#1 → openai"),
        ]
        var remaining = lines[...]
        for (label, text) in expected {
            let index = remaining.firstIndex { $0.contains(label) && $0.contains(text) }
            #expect(index != nil, "no line with \(label) … \(text) in order")
            if let index { remaining = remaining[(index + 1)...] }
        }
        #expect(step.contains("stored: \"Three papers this week: …\""))
    }
}
