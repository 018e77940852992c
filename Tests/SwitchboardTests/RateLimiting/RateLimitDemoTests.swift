import Testing

/// The demo's rate-limit step, through the real executable.
@Suite(.timeLimit(.minutes(2))) struct RateLimitDemoTests {
    @Test func demoShowsABurstHeldToTheLimitAndACriticalRequestOvertaking() async throws {
        let result = try await CLIProcess.run(["demo"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("8. Rate limits and priorities"))
        #expect(result.stdout.contains("5 sent at 0 s"))
        for second in 1...3 { #expect(result.stdout.contains("1 sent at \(second) s")) }
        #expect(!result.stdout.contains("1 sent at 4 s"))
        #expect(result.stdout.contains("sent in order: critical, background 1, background 2"))
    }
}
