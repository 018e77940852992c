import Synchronization

/// Moving averages of time to first token and total time per provider and model, from real requests.
public final class LatencyTracker: Sendable {
    /// The averages for one model.
    public struct Averages: Hashable, Sendable {
        public var timeToFirstToken: Duration?
        public var total: Duration?
        public var samples: Int
    }

    /// Weight of the newest sample in the exponential moving average.
    public let smoothing: Double
    private let averages = Mutex<[ModelReference: Averages]>([:])

    public init(smoothing: Double = 0.2) {
        self.smoothing = smoothing
    }

    /// Adds one request's timings.
    public func record(_ reference: ModelReference, timeToFirstToken: Duration?, total: Duration) {
        averages.withLock { averages in
            var entry = averages[reference] ?? Averages(samples: 0)
            entry.total = blend(entry.total, total)
            if let timeToFirstToken { entry.timeToFirstToken = blend(entry.timeToFirstToken, timeToFirstToken) }
            entry.samples += 1
            averages[reference] = entry
        }
    }

    /// The averages for a model, else for the provider's models together; `nil` when never measured.
    public func averages(for reference: ModelReference) -> Averages? {
        averages.withLock { averages in
            if let exact = averages[reference] { return exact }
            let same = averages.filter { $0.key.provider == reference.provider }.map(\.value)
            guard !same.isEmpty else { return nil }
            let totals = same.compactMap(\.total)
            return Averages(
                timeToFirstToken: nil,
                total: totals.isEmpty ? nil : totals.reduce(.zero, +) / totals.count,
                samples: same.map(\.samples).reduce(0, +))
        }
    }

    private func blend(_ old: Duration?, _ new: Duration) -> Duration {
        guard let old else { return new }
        return old * (1 - smoothing) + new * smoothing
    }
}
