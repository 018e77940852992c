import Foundation

/// How Switchboard manages the models of a local Ollama server.
public struct LocalModelPolicy: Hashable, Sendable {
    /// Models installed before first use and never removed by pruning.
    public var requiredModels: [String]
    /// The most disk the installed models may use, in bytes; `nil` for no limit.
    public var storageQuota: Int64?
    /// The most models loaded in memory at once; `nil` for Ollama's own limit.
    public var maxLoadedModels: Int?
    /// The most memory loaded models may hold, in bytes; `nil` for no limit.
    public var maxLoadedMemory: Int64?
    /// How often installed models are checked for a newer version; `nil` for only on request.
    public var updateInterval: Duration?

    public init(
        requiredModels: [String] = [], storageQuota: Int64? = nil, maxLoadedModels: Int? = nil,
        maxLoadedMemory: Int64? = nil, updateInterval: Duration? = nil
    ) {
        self.requiredModels = requiredModels
        self.storageQuota = storageQuota
        self.maxLoadedModels = maxLoadedModels
        self.maxLoadedMemory = maxLoadedMemory
        self.updateInterval = updateInterval
    }
}

/// Byte sizes as people write them: `500MB`, `20GB`, `1.5TB` (powers of 1000) or `8GiB` (powers of 1024).
public enum ByteSize {
    public static func parse(_ text: String) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let number = trimmed.prefix { $0.isNumber || $0 == "." }
        guard let value = Double(number), value >= 0 else { return nil }
        let unit = trimmed.dropFirst(number.count).trimmingCharacters(in: .whitespaces).uppercased()
        let multipliers: [String: Double] = [
            "": 1, "B": 1, "KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12,
            "KIB": 1024, "MIB": 1_048_576, "GIB": 1_073_741_824, "TIB": 1_099_511_627_776,
        ]
        guard let multiplier = multipliers[unit] else { return nil }
        return Int64((value * multiplier).rounded())
    }

    /// `2019393189` → `2.0 GB`.
    public static func format(_ bytes: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var index = 0
        while value >= 1000 && index < units.count - 1 {
            value /= 1000
            index += 1
        }
        return index == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[index])
    }
}
