/// Running averages of how fast one local model answered, from Ollama's timings
/// (``GenerationPerformance``).
public struct LocalModelPerformance: Hashable, Sendable {
    /// How many answers reported timings.
    public var samples: Int = 0
    /// Average tokens generated per second.
    public var averageGenerationTokensPerSecond: Double?
    /// Average prompt tokens read per second.
    public var averagePromptTokensPerSecond: Double?
    /// Average time Ollama spent loading the model before answering (near zero when it was loaded).
    public var averageLoadTime: Duration?

    private var generationSamples = 0
    private var promptSamples = 0
    private var loadSamples = 0

    /// No samples yet.
    public init() {}

    /// Adds one answer's timings to the averages.
    public mutating func add(_ performance: GenerationPerformance) {
        samples += 1
        if let rate = performance.generationTokensPerSecond {
            generationSamples += 1
            averageGenerationTokensPerSecond = Self.average(
                averageGenerationTokensPerSecond, adding: rate, count: generationSamples)
        }
        if let rate = performance.promptTokensPerSecond {
            promptSamples += 1
            averagePromptTokensPerSecond = Self.average(
                averagePromptTokensPerSecond, adding: rate, count: promptSamples)
        }
        if let load = performance.loadTime {
            loadSamples += 1
            let seconds = Self.average(averageLoadTime.map(\.seconds), adding: load.seconds, count: loadSamples)
            averageLoadTime = .nanoseconds(Int64((seconds * 1e9).rounded()))
        }
    }

    private static func average(_ current: Double?, adding value: Double, count: Int) -> Double {
        guard let current, count > 1 else { return value }
        return current + (value - current) / Double(count)
    }
}
