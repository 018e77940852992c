import Switchboard

/// The NDJSON progress lines of `/api/pull` (wire reference §5.5).
struct OllamaPullProgress: Sendable {
    /// The upstream model; `nil` when the registry has no such model.
    var model: SimulatedLocalModel?

    /// The final error line's message for a model the registry does not have.
    static let missingManifest = "pull model manifest: file does not exist"

    /// The last line of a successful pull.
    static let successLine = OllamaWire.line(["status": "success"])

    /// One blob of the model: its digest (64 hex) and size.
    struct Layer: Sendable {
        var digest: String
        var size: Int64
    }

    /// Three layers (weights, template, parameters) whose sizes add up to the model's size.
    static func layers(of model: SimulatedLocalModel) -> [Layer] {
        let template: Int64 = min(1_429, max(0, model.size / 4))
        let parameters: Int64 = min(96, max(0, (model.size - template) / 4))
        let weights = model.size - template - parameters
        return [(weights, "weights"), (template, "template"), (parameters, "params")].map { size, kind in
            Layer(digest: SimulatorDigest.hex(of: model.digest + "/" + kind), size: size)
        }
    }

    /// `pulling manifest`, per layer `pulling <12 hex>` with growing `completed`, then `verifying sha256
    /// digest`, `writing manifest` and `success`; for an unknown model the error line after the manifest.
    func lines() -> [[UInt8]] {
        var lines = [OllamaWire.line(["status": "pulling manifest"])]
        guard let model else {
            lines.append(OllamaWire.line(["error": .string(Self.missingManifest)]))
            return lines
        }
        for layer in Self.layers(of: model) {
            let base: [String: JSONValue] = [
                "status": .string("pulling \(layer.digest.prefix(12))"),
                "digest": .string("sha256:\(layer.digest)"),
                "total": .integer(Int(layer.size)),
            ]
            lines.append(OllamaWire.line(.object(base)))
            let steps: [Int64] = layer.size > 1_000_000 ? [1, 2, 3, 4] : [4]
            for step in steps {
                var line = base
                line["completed"] = .integer(Int(layer.size * step / 4))
                lines.append(OllamaWire.line(.object(line)))
            }
        }
        lines.append(OllamaWire.line(["status": "verifying sha256 digest"]))
        lines.append(OllamaWire.line(["status": "writing manifest"]))
        lines.append(Self.successLine)
        return lines
    }
}
