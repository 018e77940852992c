/// The overall progress of one model download: every layer's bytes folded into one figure.
///
/// Ollama reports progress per layer (`pulling <digest>` lines with the layer's `completed` and
/// `total`) and reveals layers one after another, so the total grows while a pull runs.
/// ``completedBytes`` and ``fraction`` never go backwards; ``fraction`` is 1 once the pull succeeded.
public struct LocalModelPullProgress: Hashable, Sendable {
    /// The model being pulled.
    public var model: String
    /// Ollama's current status line: `pulling manifest`, `pulling <digest>`, `verifying sha256 digest`,
    /// `writing manifest`, `success`, …
    public var status: String
    /// Bytes downloaded so far, across every layer seen.
    public var completedBytes: Int64
    /// The size of every layer seen so far.
    public var totalBytes: Int64
    /// How many layers the pull has announced so far.
    public var layers: Int
    /// `completedBytes / totalBytes`, never decreasing, 0 before any layer is known and 1 after success.
    public var fraction: Double
    /// Whether the pull finished successfully.
    public var isComplete: Bool

    /// Creates a progress value.
    public init(
        model: String, status: String, completedBytes: Int64 = 0, totalBytes: Int64 = 0, layers: Int = 0,
        fraction: Double = 0, isComplete: Bool = false
    ) {
        self.model = model
        self.status = status
        self.completedBytes = completedBytes
        self.totalBytes = totalBytes
        self.layers = layers
        self.fraction = fraction
        self.isComplete = isComplete
    }
}

/// Folds per-layer `/api/pull` lines into ``LocalModelPullProgress``.
public struct LocalModelPullProgressFolder: Sendable {
    private var layers: [String: (completed: Int64, total: Int64)] = [:]
    private var layerOrder: [String] = []
    private var fraction: Double = 0
    private var completedBytes: Int64 = 0
    /// The model being pulled.
    public let model: String

    /// Starts folding the progress of `model`.
    public init(model: String) { self.model = model }

    /// Adds one progress line and returns the overall progress after it.
    public mutating func add(_ line: OllamaPullProgress) -> LocalModelPullProgress {
        if let digest = line.digest {
            if layers[digest] == nil { layerOrder.append(digest) }
            var layer = layers[digest] ?? (0, 0)
            if let total = line.total { layer.total = max(layer.total, total) }
            if let completed = line.completed { layer.completed = max(layer.completed, min(completed, layer.total)) }
            layers[digest] = layer
        }
        let total = layers.values.reduce(Int64(0)) { $0 + $1.total }
        var completed = layers.values.reduce(Int64(0)) { $0 + $1.completed }
        if line.isSuccess {
            // Layers already on disk are announced without `completed`; success means they are all there.
            completed = total
            fraction = 1
        } else if total > 0 {
            fraction = max(fraction, min(1, Double(completed) / Double(total)))
        }
        completedBytes = max(completedBytes, completed)
        return LocalModelPullProgress(
            model: model, status: line.status, completedBytes: completedBytes, totalBytes: total,
            layers: layerOrder.count, fraction: fraction, isComplete: line.isSuccess)
    }
}

/// The progress of one model download as an `AsyncSequence`; it ends after `success` and throws when
/// the pull fails. Cancelling the iterating task (or abandoning the iteration) cancels the HTTP request.
public struct LocalModelPullStream: AsyncSequence, Sendable {
    public typealias Element = LocalModelPullProgress

    let base: OllamaPullStream
    let model: String

    /// Wraps a raw Ollama pull stream.
    public init(_ base: OllamaPullStream, model: String) {
        self.base = base
        self.model = model
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(base: base.makeAsyncIterator(), folder: LocalModelPullProgressFolder(model: model))
    }

    /// Reads the next progress value.
    public struct Iterator: AsyncIteratorProtocol {
        var base: OllamaPullStream.Iterator
        var folder: LocalModelPullProgressFolder

        public mutating func next() async throws -> LocalModelPullProgress? {
            try Task.checkCancellation()
            guard let line = try await base.next() else { return nil }
            return folder.add(line)
        }
    }

    /// Reads the stream to its end and returns the last progress value.
    @discardableResult
    public func finish() async throws -> LocalModelPullProgress? {
        var last: LocalModelPullProgress?
        for try await progress in self { last = progress }
        return last
    }
}
